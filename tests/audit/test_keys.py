"""Events are signed under a key kept outside the database; keys rotate; unkeyed events of
chains written before keys still verify, but no unkeyed event may follow a keyed one."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from turntide.audit.actions import ChainBreak, record, verify_chain
from turntide.audit.keys import key_id
from turntide.audit.models import GENESIS_HASH, Event

NEW_KEY = "a-new-audit-key-for-the-rotation-test-0123456789"


def unkeyed(action: str, previous_hash: str) -> Event:
    """An event as chains were written before they had a key: plain SHA-256."""
    event = Event(actor="system", action=action, previous_hash=previous_hash, algorithm="sha256")
    event.hash = event.compute_hash(None)
    event.save()
    return event


@pytest.mark.django_db
def test_each_event_names_the_key_that_signed_it(settings: object) -> None:
    event = record("system", "test.signed")
    assert event.algorithm == "hmac-sha256"
    assert event.key_id == key_id(settings.TURNTIDE_AUDIT_KEY.encode())  # type: ignore[attr-defined]
    assert event.hash != event.compute_hash(None)


@pytest.mark.django_db
def test_events_under_a_retired_key_verify_while_that_key_is_kept(settings: object) -> None:
    old = record("system", "test.before-rotation")
    settings.TURNTIDE_AUDIT_OLD_KEYS = [settings.TURNTIDE_AUDIT_KEY]  # type: ignore[attr-defined]
    settings.TURNTIDE_AUDIT_KEY = NEW_KEY  # type: ignore[attr-defined]
    new = record("system", "test.after-rotation")
    assert new.key_id != old.key_id
    assert verify_chain() is None
    settings.TURNTIDE_AUDIT_OLD_KEYS = []  # type: ignore[attr-defined]
    assert verify_chain() == ChainBreak(
        old.sequence, f"it is signed by key {old.key_id}, which is not configured"
    )


@pytest.mark.django_db
def test_a_chain_begun_before_keys_verifies_and_goes_on_keyed() -> None:
    first = unkeyed("test.legacy-one", GENESIS_HASH)
    unkeyed("test.legacy-two", first.hash)
    assert record("system", "test.keyed").algorithm == "hmac-sha256"
    assert verify_chain() is None


@pytest.mark.django_db
def test_an_unkeyed_event_after_a_keyed_one_is_named() -> None:
    keyed = record("system", "test.keyed")
    forged = unkeyed("test.forged", keyed.hash)
    assert verify_chain() == ChainBreak(
        forged.sequence, "it is unkeyed, yet follows events signed under a key"
    )


@pytest.mark.django_db(transaction=True)
def test_the_migration_marks_events_written_before_it_as_unkeyed() -> None:
    before = [("audit", "0001_event_chain")]
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("audit")
    executor.migrate(before)
    try:
        event = executor.loader.project_state(before[0]).apps.get_model("audit", "Event")
        row = event(occurred_at=timezone.now(), actor="system", action="test.legacy")
        row.previous_hash = GENESIS_HASH
        row.hash = Event.compute_hash(row, None)  # type: ignore[arg-type]
        row.save()
    finally:
        MigrationExecutor(connection).migrate(latest)
    migrated = Event.objects.get()
    assert (migrated.algorithm, migrated.key_id) == ("sha256", "")
    assert verify_chain() is None
