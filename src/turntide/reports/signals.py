"""Signals through which intake tells the apps to its right that URLs were reported."""

from django.dispatch import Signal

# Sent once per report inside the intake transaction, with `report` and `reported_urls`
# (ReportedURL rows with their ids). Receivers must work set-based: a batch can be large.
urls_reported = Signal()
