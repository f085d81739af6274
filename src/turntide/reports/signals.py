"""Signals through which intake tells the apps to its right that URLs were reported.

Each app listens in its `receivers.py`, imported by its AppConfig.ready(); the listeners are
named below, and tests/test_receivers.py holds them to it.
"""

from django.dispatch import Signal

# Sent once per stored batch inside the intake transaction.
# Arguments: `batch`, a reports.batches.StagedBatch naming the table that holds the batch's
# rows. Receivers work set-based on that table: a batch can hold a hundred thousand URLs.
# Listeners: cases.receivers.join_cases (joins each URL to the case of its address).
urls_reported = Signal()
