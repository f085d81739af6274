"""Status changes as explicit tables: which event moves an object from which status to which.

One helper serves every table (the case's below, the appeal's in cases.appeals.actions), so a
refused change raises the same TransitionNotAllowed everywhere. Nothing else changes status.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from turntide.cases.models import URLCase
from turntide.cases.models.case import OPEN_STATUSES


class TransitionNotAllowed(ValueError):
    def __init__(self, subject: str, status: str, event: str) -> None:
        super().__init__(f"{subject} that is {status!r} cannot take {event!r}")
        self.status = status
        self.event = event


@dataclass(frozen=True)
class Transitions:
    """The transition table of one kind of object; `subject` names it in refusals."""

    subject: str
    table: Mapping[tuple[str, str], str]  # (from status, event) -> to status

    def next(self, status: str, event: str) -> str:
        try:
            return self.table[(status, event)]
        except KeyError:
            raise TransitionNotAllowed(self.subject, status, event) from None

    def statuses_taking(self, *events: str) -> frozenset[str]:
        """The statuses from which one of `events` moves an object at all."""
        return frozenset(status for (status, event) in self.table if event in events)


Status = URLCase.Status

CASE_TRANSITIONS = Transitions(
    "a case",
    {
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
    },
)
CLOSED_STATUSES = (Status.ASSESSED, Status.REMOVED)
# Cases an analyst can still work on, in the queue.
WORKABLE_STATUSES = tuple(map(Status, OPEN_STATUSES))
