"""Staff accounts: roles as groups, login with throttling, and the TOTP second factor."""
