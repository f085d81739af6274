"""Intake: the public report form, trusted-reporter submissions, dedup into URL cases."""
