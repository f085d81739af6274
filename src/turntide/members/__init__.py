"""Member and trusted-reporter organisations, their API tokens, and list distribution."""
