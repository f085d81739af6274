"""Signals through which intake tells the apps to its right that URLs were reported."""

from django.dispatch import Signal

# Sent once per stored batch inside the intake transaction, with `batch`: a
# reports.batches.StagedBatch naming the table that holds the batch's rows. Receivers work
# set-based on that table: a batch can hold a hundred thousand URLs.
urls_reported = Signal()
