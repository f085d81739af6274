"""Signals through which intake tells the apps to its right that a URL was reported."""

from django.dispatch import Signal

# Sent once per ReportedURL inside the intake transaction, with `reported_url`.
url_reported = Signal()
