"""Which status changes a case may make, and what causes them. Nothing else changes status."""

from __future__ import annotations

from turntide.cases.models import URLCase

Status = URLCase.Status

TRANSITIONS: dict[tuple[str, str], str] = {
    # (from status, event) -> to status
    (Status.NEW, "assessed_criminal"): Status.ACTIONED,
    (Status.NEW, "assessed_other"): Status.ASSESSED,
    (Status.NEW, "assessed_for_verification"): Status.VERIFYING,
    # A second analyst agrees (the first judgement stands) or disagrees (a senior decides).
    (Status.VERIFYING, "verified_criminal"): Status.ACTIONED,
    (Status.VERIFYING, "verified_other"): Status.ASSESSED,
    (Status.VERIFYING, "verification_disagreed"): Status.DISPUTED,
    (Status.DISPUTED, "decided_criminal"): Status.ACTIONED,
    (Status.DISPUTED, "decided_other"): Status.ASSESSED,
    (Status.ACTIONED, "removal_confirmed"): Status.REMOVED,
    # An upheld appeal changes the outcome (and withdraws list entries).
    (Status.ACTIONED, "appeal_upheld_other"): Status.ASSESSED,
    (Status.REMOVED, "appeal_upheld_other"): Status.ASSESSED,
    (Status.ASSESSED, "appeal_upheld_criminal"): Status.ACTIONED,
    # Reported again long after it was closed: look again (rule in cases.receivers).
    (Status.ASSESSED, "reported_again"): Status.NEW,
    (Status.REMOVED, "reported_again"): Status.NEW,
}
CLOSED_STATUSES = (Status.ASSESSED, Status.REMOVED)
# Cases an analyst can still work on, in the queue.
WORKABLE_STATUSES = (Status.NEW, Status.VERIFYING, Status.DISPUTED)


class TransitionNotAllowed(ValueError):
    def __init__(self, status: str, event: str) -> None:
        super().__init__(f"a case that is {status!r} cannot take {event!r}")
        self.status = status
        self.event = event


def next_status(status: str, event: str) -> str:
    try:
        return TRANSITIONS[(status, event)]
    except KeyError:
        raise TransitionNotAllowed(status, event) from None
