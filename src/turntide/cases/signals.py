"""Signals through which cases tell the apps to their right that a decision changed.

Each app listens in its `receivers.py`, imported by its AppConfig.ready(); the listeners are
named below, and tests/test_receivers.py holds them to it. Receivers run inside the sender's
transaction, so a failing one rolls the decision back; anything outside the database
belongs in transaction.on_commit.
"""

from django.dispatch import Signal

# Sent inside the transaction of a judgement that moves a case (do_assess) and of a
# confirmed removal (cases.removal.confirm_removal).
# Arguments: `case` (its new status saved) and `status` (the new status).
# Listeners: takedown.receivers.start_when_actioned (starts the takedown of an actioned
# case), members.receivers.publish_after_commit (republishes the URL list) and
# hashes.receivers.reconcile_after_commit (withdraws the hashes of a case no longer criminal).
case_status_changed = Signal()

# Sent inside the transaction that replaces the judgement standing for a case (today: an
# upheld appeal, do_decide_appeal).
# Arguments: `case` (its new status already saved), `previous` (the assessment that stood
# until now) and `assessment` (the one that stands now).
# Listeners: members.receivers.publish_after_commit (adds or withdraws the case's list
# entries) and hashes.receivers.reconcile_after_commit (withdraws its hashes when it is no
# longer criminal).
case_outcome_changed = Signal()
