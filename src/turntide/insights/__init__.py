"""Statistics, charts, research extracts and campaign evaluation."""
