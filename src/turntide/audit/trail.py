"""Reading the audit trail: filters, pages by keyset, links to each event's object.

Pages are cut by `sequence` (keyset pagination), never by OFFSET: the database finds the
first row of page 10,000 in the index as fast as that of page 1, where OFFSET would read and
skip every row before it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from turntide.audit.models import Event, Verification

__all__ = ["CSV_HEADER", "Page", "csv_rows", "filtered", "last_check", "object_link", "page_of"]

# Objects with a page of their own; every other event links to the trail of its object.
OBJECT_PAGES = {"case": "cases:case", "appeal": "appeals:appeal"}
CSV_HEADER = ["sequence", "occurred_at", "actor", "action", "object_type", "object_code", "details"]


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def filtered(filters: dict[str, Any]) -> QuerySet[Event]:
    """Events matching the trail's filters: exact actor, action (or a prefix such as
    `account.`), object code, and days from and to (both included, in local time)."""
    events = Event.objects.all()
    if filters.get("actor"):
        events = events.filter(actor=filters["actor"])
    action = filters.get("action") or ""
    if action.endswith("."):
        events = events.filter(action__startswith=action)
    elif action:
        events = events.filter(action=action)
    if filters.get("object"):
        events = events.filter(object_code=filters["object"])
    if filters.get("since"):
        events = events.filter(occurred_at__gte=_day_start(filters["since"]))
    if filters.get("until"):
        events = events.filter(occurred_at__lt=_day_start(filters["until"] + timedelta(days=1)))
    return events


@dataclass(frozen=True)
class Page:
    events: list[Event]
    newer: int | None  # `after` for the page of newer events, if any
    older: int | None  # `before` for the page of older events, if any


def page_of(events: QuerySet[Event], *, before: int | None, after: int | None, size: int) -> Page:
    """One page, newest first: the `size` events before `before`, or after `after`, or the
    newest. A page reached from a neighbour knows that neighbour is there."""
    if after is not None:
        rows = list(events.filter(sequence__gt=after).order_by("sequence")[: size + 1])
        more, rows = len(rows) > size, rows[:size][::-1]
        return Page(rows, rows[0].sequence if more else None, _last(rows))
    if before is not None:
        events = events.filter(sequence__lt=before)
    rows = list(events.order_by("-sequence")[: size + 1])
    more, rows = len(rows) > size, rows[:size]
    newer = rows[0].sequence if before is not None and rows else None
    return Page(rows, newer, _last(rows) if more else None)


def _last(rows: list[Event]) -> int | None:
    return rows[-1].sequence if rows else None


def object_link(event: Event) -> str:
    """Where the event's object is seen: its own page, or else its trail."""
    if not event.object_code:
        return ""
    if event.object_type in OBJECT_PAGES:
        return reverse(OBJECT_PAGES[event.object_type], args=[event.object_code])
    return reverse("audit:trail") + "?" + urlencode({"object": event.object_code})


def csv_rows(events: QuerySet[Event]) -> Iterator[list[Any]]:
    """The header, then each event newest first, read from the database in chunks."""
    yield CSV_HEADER
    for event in events.order_by("-sequence").iterator(chunk_size=2000):
        yield [
            event.sequence,
            event.occurred_at.isoformat(),
            event.actor,
            event.action,
            event.object_type,
            event.object_code,
            json.dumps(event.details, sort_keys=True),
        ]


def last_check() -> Verification | None:
    """The latest verification of the chain (audit.actions.do_verify_chain)."""
    return Verification.objects.order_by("-pk").first()
