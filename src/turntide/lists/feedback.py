"""Members' feedback on listed entries that matched, and the analysts' review of it.

A member says an entry matched something harmless (a false positive) or confirms it matched
abuse. The review list counts, per entry, the false positives, the confirmations and the
members who sent them, and per member and per source, so that a false positive is withdrawn
quickly and a noisy source or a noisy member is seen. Which entry a member means is found by
the API (it reads the hash and URL lists); this module only records and counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, F, Max, Q, QuerySet
from django.utils import timezone

from turntide.audit.actions import record
from turntide.lists.models import Feedback

if TYPE_CHECKING:
    from turntide.members.models import Organisation

MAX_NOTE = 1000
FALSE_POSITIVES = Count("pk", filter=Q(verdict=Feedback.Verdict.FALSE_POSITIVE))
CONFIRMATIONS = Count("pk", filter=Q(verdict=Feedback.Verdict.CONFIRMED))
# How the review list may be sorted: by the newest feedback, or by a count.
ORDERS = {
    "newest": ("-latest",),
    "false_positives": ("-false_positives", "-latest"),
    "confirmations": ("-confirmations", "-latest"),
    "members": ("-members", "-latest"),
}


class Review:
    """What an analyst made of an entry's feedback."""

    KEPT = "kept"  # reviewed; the entry stays listed
    WITHDRAWN = "withdrawn"  # the entry was withdrawn from its list


@dataclass(frozen=True)
class ListedEntry:
    """A listed entry as feedback names it (see `Feedback`)."""

    kind: str
    type: str
    value: str
    label: str
    source: str = ""
    case_code: str = ""


@transaction.atomic
def do_record_feedback(
    actor: str,
    organisation: Organisation,
    entry: ListedEntry,
    *,
    value: str,
    verdict: str,
    note: str = "",
    distance: int | None = None,
) -> tuple[Feedback, bool]:
    """Record one member's verdict on `entry`, or update the one it sent before (then it
    awaits review again); audited. Returns the feedback and whether it is new."""
    if verdict not in Feedback.Verdict.values:
        raise ValueError(f"unknown verdict {verdict!r}")
    now = timezone.now()
    feedback, created = Feedback.objects.update_or_create(
        organisation=organisation,
        entry_type=entry.type,
        entry_value=entry.value,
        verdict=verdict,
        defaults={
            "value": value,
            "note": note[:MAX_NOTE],
            "distance": distance,
            "sent_by": actor,
            "updated_at": now,
            "reviewed_at": None,
            "reviewed_by": None,
            "review": "",
        },
        create_defaults={
            "kind": entry.kind,
            "entry_label": entry.label,
            "source": entry.source,
            "case_code": entry.case_code,
            "value": value,
            "note": note[:MAX_NOTE],
            "distance": distance,
            "sent_by": actor,
            "created_at": now,
            "updated_at": now,
        },
    )
    record(
        actor,
        "feedback.received" if created else "feedback.updated",
        object_type="feedback",
        object_code=feedback.code,
        details={
            "organisation": organisation.code,
            "entry": f"{entry.type}:{entry.value[:80]}",
            "verdict": verdict,
            "distance": distance,
        },
    )
    return feedback, created


@transaction.atomic
def do_review_feedback(user: User, entry_type: str, entry_value: str, review: str) -> int:
    """Mark the feedback awaiting review on one entry reviewed; audited. Returns how many."""
    if review not in (Review.KEPT, Review.WITHDRAWN):
        raise ValueError(f"unknown review {review!r}")
    pending = Feedback.objects.filter(
        entry_type=entry_type, entry_value=entry_value, reviewed_at__isnull=True
    )
    count = pending.update(reviewed_at=timezone.now(), reviewed_by=user, review=review)
    if count:
        record(
            user,
            "feedback.reviewed",
            object_type="feedback",
            object_code=entry_value[:64],  # the audit trail's codes are 64 characters at most
            details={"entry_type": entry_type, "review": review, "feedback": count},
        )
    return count


def awaiting_review(order: str, limit: int) -> list[dict[str, Any]]:
    """One row per entry with feedback awaiting review, with its counts."""
    rows = (
        Feedback.objects.filter(reviewed_at__isnull=True)
        .values("entry_type", "entry_value")
        .annotate(
            label=Max("entry_label"),
            source=Max("source"),
            case_code=Max("case_code"),
            false_positives=FALSE_POSITIVES,
            confirmations=CONFIRMATIONS,
            members=Count("organisation", distinct=True),
            latest=Max("updated_at"),
        )
        .order_by(*ORDERS.get(order, ORDERS["newest"]))
    )
    return [dict(row) for row in rows[:limit]]


def counts_by(field: str, limit: int) -> list[dict[str, Any]]:
    """All feedback ever sent, counted per `field` (`organisation__name` or `source`) as
    `name`, the noisiest first: a member or a source many of whose matches are not abuse
    stands out. URL entries have no source, so they count per member only."""
    rows = (
        Feedback.objects.exclude(**{field: ""})
        .values(name=F(field))
        .annotate(
            false_positives=FALSE_POSITIVES,
            confirmations=CONFIRMATIONS,
            entries=Count("entry_value", distinct=True),
            latest=Max("updated_at"),
        )
        .order_by("-false_positives", "-latest")
    )
    return [dict(row) for row in rows[:limit]]


def own_feedback(organisation: Organisation) -> QuerySet[Feedback]:
    """A member's own feedback, newest first; never another member's."""
    return Feedback.objects.filter(organisation=organisation).order_by("-updated_at")
