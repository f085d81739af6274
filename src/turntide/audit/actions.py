"""Writing and verifying the audit chain."""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from turntide.audit.anchors import Checkpoint, CheckpointError, anchor_head, read_checkpoints
from turntide.audit.keys import current_key, keyring
from turntide.audit.models import GENESIS_HASH, Algorithm, Event, Verification

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
    """Append one event to the chain, signed under the current audit key.

    The unique `previous_hash` makes a concurrent writer that read the same tail fail with
    an IntegrityError inside its savepoint; it then re-reads the tail and tries again.
    """
    key_id, key = current_key()
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
            algorithm=Algorithm.HMAC_SHA256,
            key_id=key_id,
        )
        event.hash = event.compute_hash(key)
        try:
            with transaction.atomic():
                event.save()
        except IntegrityError:
            continue
        return event
    raise RuntimeError("could not append to the audit chain: too much contention")


@dataclass(frozen=True)
class ChainBreak:
    """The first event whose hash, link or checkpoint does not match (None: no one event is
    to blame, as when the tail is missing or a checkpoint is forged)."""

    sequence: int | None
    reason: str

    def __str__(self) -> str:
        return self.reason if self.sequence is None else f"at event #{self.sequence}: {self.reason}"


def verify_chain(
    events: Iterator[Event] | None = None,
    checkpoints: dict[int, list[Checkpoint]] | None = None,
) -> ChainBreak | None:
    """Walk the chain in order against the checkpoints; return the first break, or None."""
    if checkpoints is None:
        try:
            checkpoints = read_checkpoints()
        except CheckpointError as error:
            return ChainBreak(None, str(error))
    if events is None:
        events = Event.objects.order_by("sequence").iterator(chunk_size=2000)
    keys = keyring()
    anchored = iter(sorted(checkpoints.items()))
    pending = next(anchored, None)
    expected_previous, keyed, last = GENESIS_HASH, False, 0
    for event in events:
        if pending is not None and pending[0] < event.sequence:
            return ChainBreak(pending[0], f"it is missing, yet {_named_by(pending[1])}")
        fault = _fault(event, expected_previous, keys, keyed)
        if fault is None and pending is not None and pending[0] == event.sequence:
            fault = _checkpoint_fault(event, pending[1])
            pending = next(anchored, None)
        if fault is not None:
            return ChainBreak(event.sequence, fault)
        keyed = keyed or event.algorithm == Algorithm.HMAC_SHA256
        expected_previous, last = event.hash, event.sequence
    if pending is not None:
        latest = checkpoints[max(checkpoints)]
        return ChainBreak(None, f"events after #{last} are missing: {_named_by(latest)}")
    return None


def do_verify_chain(actor: Actor) -> tuple[ChainBreak | None, Checkpoint | None]:
    """Walk the chain and, when intact, checkpoint its head. The outcome is kept (audit
    Verification), so the trail's page can show the last check without walking the chain."""
    broken = verify_chain()
    head = anchor_head() if broken is None else None
    Verification.objects.create(
        actor=actor_name(actor),
        intact=broken is None,
        head=head.sequence if head else None,
        problem=str(broken or ""),
    )
    return broken, head


def _fault(event: Event, expected_previous: str, keys: dict[str, bytes], keyed: bool) -> str | None:
    """Why this event does not verify on its own, or None."""
    if event.previous_hash != expected_previous:
        return "its link to the previous event does not match"
    key = None
    if event.algorithm == Algorithm.SHA256:
        if keyed:
            return "it is unkeyed, yet follows events signed under a key"
    elif event.algorithm == Algorithm.HMAC_SHA256:
        key = keys.get(event.key_id)
        if key is None:
            return f"it is signed by key {event.key_id}, which is not configured"
    else:
        return f"its algorithm {event.algorithm!r} is unknown"
    if not hmac.compare_digest(event.compute_hash(key), event.hash):
        return "its content does not match its hash"
    return None


def _checkpoint_fault(event: Event, checkpoints: list[Checkpoint]) -> str | None:
    for checkpoint in checkpoints:
        if checkpoint.hash != event.hash:
            return f"its hash differs from the checkpoint of {checkpoint.at}"
    return None


def _named_by(checkpoints: list[Checkpoint]) -> str:
    checkpoint = checkpoints[-1]
    return f"the checkpoint of {checkpoint.at} names #{checkpoint.sequence}"
