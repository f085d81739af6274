"""Signed checkpoints of the audit chain's head, kept outside the database.

A keyed chain stops a forger without the key, but not someone who deletes the newest
events: what is left still verifies.  So the head (sequence and hash) is appended, signed
under the audit key, to a file under `TURNTIDE_AUDIT_ANCHOR_DIR` and written to the log,
every `TURNTIDE_AUDIT_ANCHOR_MINUTES` and at every verification.  A chain that no longer
holds a checkpointed event, or holds it with another hash, has been cut or rewritten.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
from collections import defaultdict
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from turntide.audit.keys import current_key, keyring, sign
from turntide.audit.models import Event

__all__ = ["Checkpoint", "CheckpointError", "anchor_head", "checkpoint_path", "read_checkpoints"]

logger = logging.getLogger(__name__)


class CheckpointError(ValueError):
    """A line of the checkpoint file is malformed, or not signed by a configured key."""


@dataclass(frozen=True)
class Checkpoint:
    """The chain's head at one moment, signed under the key named by `key_id`."""

    sequence: int
    hash: str
    at: str
    key_id: str
    mac: str = ""

    def signed_text(self) -> str:
        return f"{self.sequence} {self.hash} {self.at} {self.key_id}"


def checkpoint_path() -> Path:
    return Path(settings.TURNTIDE_AUDIT_ANCHOR_DIR) / "checkpoints.jsonl"


def anchor_head() -> Checkpoint | None:
    """Append a signed checkpoint of the chain's current head (None: the chain is empty)."""
    head = Event.objects.order_by("-sequence").values_list("sequence", "hash").first()
    if head is None:
        return None
    key_id, key = current_key()
    unsigned = Checkpoint(head[0], head[1], timezone.now().isoformat(timespec="seconds"), key_id)
    checkpoint = replace(unsigned, mac=sign(key, unsigned.signed_text()))
    path = checkpoint_path()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # One write of one short line with O_APPEND: concurrent writers never interleave.
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, (json.dumps(asdict(checkpoint)) + "\n").encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    logger.info("audit checkpoint: head #%s %s", checkpoint.sequence, checkpoint.hash)
    return checkpoint


def read_checkpoints() -> dict[int, list[Checkpoint]]:
    """Every checkpoint in the file, by sequence; raises CheckpointError on a forged line."""
    path = checkpoint_path()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return {}
    keys = keyring()
    by_sequence: dict[int, list[Checkpoint]] = defaultdict(list)
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"checkpoint on line {number} of {path}"
        try:
            data = json.loads(line)
            checkpoint = Checkpoint(
                int(data["sequence"]), *(str(data[f]) for f in ("hash", "at", "key_id", "mac"))
            )
        except (ValueError, TypeError, KeyError):
            raise CheckpointError(f"the {where} is malformed") from None
        key = keys.get(checkpoint.key_id)
        if key is None:
            raise CheckpointError(
                f"the {where} is signed by key {checkpoint.key_id}, which is not configured"
            )
        if not hmac.compare_digest(sign(key, checkpoint.signed_text()), checkpoint.mac):
            raise CheckpointError(f"the {where} does not match its signature")
        by_sequence[checkpoint.sequence].append(checkpoint)
    return by_sequence
