"""Checkpoints of the chain's head, outside the database, written often and at every verify."""

from __future__ import annotations

import pytest
from django.utils import timezone

from turntide.audit.actions import ChainBreak, record, verify_chain
from turntide.audit.anchors import Checkpoint, checkpoint_path, read_checkpoints
from turntide.audit.tasks import anchor_audit_chain
from turntide.cli import main
from turntide.schedule.registry import REGISTRY


@pytest.mark.django_db
def test_verify_appends_a_signed_checkpoint_of_the_head_and_logs_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    record("system", "test.one")
    head = record("system", "test.two")
    assert main(["audit", "verify"]) == 0
    assert main(["audit", "verify"]) == 0
    assert [(c.sequence, c.hash) for c in read_checkpoints()[head.sequence]] == [
        (head.sequence, head.hash)
    ] * 2
    assert f"audit checkpoint: head #{head.sequence} {head.hash}" in capsys.readouterr().err


@pytest.mark.django_db
def test_the_worker_checkpoints_the_head_every_so_often(settings: object) -> None:
    entry = REGISTRY["turntide.audit.tasks.anchor_audit_chain"]
    assert entry.interval.total_seconds() == 60 * settings.TURNTIDE_AUDIT_ANCHOR_MINUTES  # type: ignore[attr-defined]
    anchor_audit_chain.call()
    assert not checkpoint_path().exists()  # an empty chain has no head to anchor
    head = record("system", "test.one")
    anchor_audit_chain.call()
    assert list(read_checkpoints()) == [head.sequence]


@pytest.mark.django_db
def test_a_checkpointed_event_that_is_gone_is_named() -> None:
    first, gone, last = (record("system", f"test.{n}") for n in range(3))
    checkpoint = Checkpoint(gone.sequence, gone.hash, timezone.now().isoformat(), "")
    broken = verify_chain(iter([first, last]), {gone.sequence: [checkpoint]})
    assert broken == ChainBreak(
        gone.sequence,
        f"it is missing, yet the checkpoint of {checkpoint.at} names #{gone.sequence}",
    )
