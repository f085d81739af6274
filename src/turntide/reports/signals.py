"""Signals through which intake tells the apps to its right that URLs were reported."""

from django.dispatch import Signal

# Sent once per stored batch inside the intake transaction, with `reports` and
# `reported_urls` (rows with their ids). Receivers must work set-based: a batch can hold
# thousands of reports.
urls_reported = Signal()
