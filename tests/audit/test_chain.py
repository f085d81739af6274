"""The audit trail is append-only and tamper-evident."""

from __future__ import annotations

import pytest
from django.db import connection

from turntide.audit.actions import record, verify_chain
from turntide.audit.models import GENESIS_HASH, AppendOnlyError, Event
from turntide.cli import main


@pytest.mark.django_db
def test_events_chain_each_to_the_one_before() -> None:
    first = record("system", "test.first")
    second = record("system", "test.second", details={"n": 2})
    assert first.previous_hash == GENESIS_HASH
    assert second.previous_hash == first.hash
    assert verify_chain() is None


@pytest.mark.django_db
def test_no_code_path_can_change_or_remove_an_event() -> None:
    event = record("system", "test.event")
    event.action = "test.rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        Event.objects.filter(pk=event.pk).update(action="test.rewritten")
    with pytest.raises(AppendOnlyError):
        Event.objects.all().delete()


@pytest.mark.django_db
def test_a_second_writer_on_the_same_tail_cannot_fork_the_chain() -> None:
    from django.db import IntegrityError, transaction

    first = record("system", "test.first")
    rival = Event(actor="system", action="test.rival", previous_hash=first.previous_hash)
    rival.hash = rival.compute_hash(b"any key")
    with pytest.raises(IntegrityError), transaction.atomic():
        rival.save()


@pytest.mark.django_db
def test_audit_verify_passes_on_an_intact_chain(capsys: pytest.CaptureFixture[str]) -> None:
    record("system", "test.one")
    assert main(["audit", "verify"]) == 0
    assert "intact" in capsys.readouterr().out


@pytest.mark.django_db
@pytest.mark.parametrize("column", ["action", "details"])
def test_altering_a_stored_event_makes_verify_fail_and_name_it(
    capsys: pytest.CaptureFixture[str], column: str
) -> None:
    record("system", "test.one")
    target = record("system", "test.two", details={"outcome": "criminal"})
    record("system", "test.three")
    new_value = "test.forged" if column == "action" else '{"outcome": "not_illegal"}'
    table = Event._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {column} = %s WHERE sequence = %s",  # noqa: S608
            [new_value, target.sequence],
        )
    assert main(["audit", "verify"]) == 1
    assert f"event #{target.sequence}" in capsys.readouterr().err


@pytest.mark.django_db
def test_removing_an_event_breaks_the_next_link(capsys: pytest.CaptureFixture[str]) -> None:
    record("system", "test.one")
    removed = record("system", "test.two")
    after = record("system", "test.three")
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {Event._meta.db_table} WHERE sequence = %s",  # noqa: S608
            [removed.sequence],
        )
    assert main(["audit", "verify"]) == 1
    assert f"event #{after.sequence}" in capsys.readouterr().err
