"""Writing and verifying the audit chain."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from turntide.audit.models import GENESIS_HASH, Event

MAX_CHAIN_RETRIES = 10

Actor = AbstractBaseUser | AnonymousUser | str | None


def actor_name(actor: Actor) -> str:
    """`public` for anonymous visitors, `system` for background work, else the username."""
    if actor is None:
        return "system"
    if isinstance(actor, str):
        return actor
    if not actor.is_authenticated:
        return "public"
    return actor.get_username()


def record(
    actor: Actor,
    action: str,
    *,
    object_type: str = "",
    object_code: str = "",
    details: dict[str, Any] | None = None,
) -> Event:
    """Append one event to the chain.

    The unique `previous_hash` makes a concurrent writer that read the same tail fail with
    an IntegrityError inside its savepoint; it then re-reads the tail and tries again.
    """
    for _ in range(MAX_CHAIN_RETRIES):
        tail = Event.objects.order_by("-sequence").values_list("hash", flat=True).first()
        event = Event(
            occurred_at=timezone.now(),
            actor=actor_name(actor),
            action=action,
            object_type=object_type,
            object_code=object_code,
            details=details or {},
            previous_hash=tail or GENESIS_HASH,
        )
        event.hash = event.compute_hash()
        try:
            with transaction.atomic():
                event.save()
        except IntegrityError:
            continue
        return event
    raise RuntimeError("could not append to the audit chain: too much contention")


@dataclass(frozen=True)
class ChainBreak:
    """The first event whose stored hash or link does not match."""

    sequence: int
    reason: str


def verify_chain(events: Iterator[Event] | None = None) -> ChainBreak | None:
    """Walk the chain in order; return the first break, or None when it is intact."""
    if events is None:
        events = Event.objects.order_by("sequence").iterator(chunk_size=2000)
    expected_previous = GENESIS_HASH
    for event in events:
        if event.previous_hash != expected_previous:
            return ChainBreak(event.sequence, "its link to the previous event does not match")
        if event.compute_hash() != event.hash:
            return ChainBreak(event.sequence, "its content does not match its hash")
        expected_previous = event.hash
    return None
