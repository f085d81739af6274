"""Which status changes a case may make, and what causes them. Nothing else changes status."""

from __future__ import annotations

from turntide.cases.models import URLCase

Status = URLCase.Status

TRANSITIONS: dict[tuple[str, str], str] = {
    # (from status, event) -> to status
    (Status.NEW, "assessed_criminal"): Status.ACTIONED,
    (Status.NEW, "assessed_other"): Status.ASSESSED,
    (Status.ASSESSED, "reassessed_criminal"): Status.ACTIONED,
    (Status.ACTIONED, "removal_confirmed"): Status.REMOVED,
    # Reported again long after it was closed: look again (rule in cases.receivers).
    (Status.ASSESSED, "reported_again"): Status.NEW,
    (Status.REMOVED, "reported_again"): Status.NEW,
}
CLOSED_STATUSES = (Status.ASSESSED, Status.REMOVED)


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
