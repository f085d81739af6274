"""Signals through which cases tell the apps to their right that a decision changed."""

from django.dispatch import Signal

# Sent inside the transaction that replaces the judgement standing for a case (today: an
# upheld appeal), with `case` (its new status already saved), `previous` (the assessment
# that stood until now) and `assessment` (the one that stands now). The member lists app
# will listen to withdraw the case's list entries when it is no longer criminal, and to add
# them when it newly is. Receivers run inside the transaction, so a failing receiver rolls
# the decision back; anything outside the database belongs in transaction.on_commit.
case_outcome_changed = Signal()

# Sent inside the transaction of every judgement that moves a case (do_assess), with `case`
# and `status` (the new one). The lists republish from it after commit.
case_status_changed = Signal()
