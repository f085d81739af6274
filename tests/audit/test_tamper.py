"""Tampering with a copy of the demo's database, as someone who can write to the database
but has not the audit key: `turntide audit verify`, in its own process, catches each try.

Every copy starts from one verified copy, so each holds a checkpoint of its head."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import demo_env, run_turntide


def copy_database(source: Path, home: Path) -> None:
    with (
        sqlite3.connect(source / "turntide.sqlite3") as original,
        sqlite3.connect(home / "turntide.sqlite3") as duplicate,
    ):
        original.backup(duplicate)


def verify(home: Path, demo_home: Path) -> subprocess.CompletedProcess[str]:
    """`turntide audit verify` on a copy, with the demo's key as production keeps it."""
    env = demo_env(home) | {"TURNTIDE_AUDIT_KEY_FILE": str(demo_home / "audit_key")}
    return run_turntide(env, "audit", "verify")


@pytest.fixture(scope="session")
def checked(
    demo_home: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """An untouched copy of the demo's database, verified once, so its head is checkpointed."""
    home = tmp_path_factory.mktemp("checked")
    copy_database(demo_home, home)
    return home, verify(home, demo_home)


@pytest.fixture
def copy(checked: tuple[Path, subprocess.CompletedProcess[str]], tmp_path: Path) -> Path:
    """A copy of that copy and its checkpoint, for one test to tamper with."""
    home = tmp_path / "copy"
    shutil.copytree(checked[0] / "audit", home / "audit")
    copy_database(checked[0], home)
    return home


def events(home: Path, where: str = "1", *parameters: object) -> list[dict[str, Any]]:
    with sqlite3.connect(home / "turntide.sqlite3") as db:
        db.row_factory = sqlite3.Row
        rows = db.execute(
            f"SELECT * FROM audit_event WHERE {where} ORDER BY sequence",  # noqa: S608
            parameters,
        )
        return [dict(row) for row in rows]


def plain_sha256(event: dict[str, Any]) -> str:
    """What anyone can compute: the unkeyed SHA-256 that the chain used before it had a key."""
    import hashlib

    content = {
        "occurred_at": datetime.fromisoformat(event["occurred_at"]).replace(tzinfo=UTC).isoformat(),
        "actor": event["actor"],
        "action": event["action"],
        "object_type": event["object_type"],
        "object_code": event["object_code"],
        "details": json.loads(event["details"]),
        "previous_hash": event["previous_hash"],
    }
    encoded = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(encoded.encode()).hexdigest()


def rewrite_forward(home: Path, start: int, **changes: object) -> None:
    """Change event `start` (and set `changes` on every later event), then recompute each
    later hash so that every link matches again."""
    later = events(home, "sequence >= ?", start)
    with sqlite3.connect(home / "turntide.sqlite3") as db:
        previous = later[0]["previous_hash"]
        for event in later:
            event.update(changes, previous_hash=previous)
            event["hash"] = previous = plain_sha256(event)
            columns = ", ".join(f"{name} = ?" for name in event)
            db.execute(
                f"UPDATE audit_event SET {columns} WHERE sequence = ?",  # noqa: S608
                [*event.values(), event["sequence"]],
            )


def head(home: Path) -> dict[str, Any]:
    return events(home, "sequence = (SELECT max(sequence) FROM audit_event)")[0]


def test_an_untouched_copy_passes_and_its_head_is_checkpointed(
    checked: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    home, result = checked
    assert result.returncode == 0, result.stderr
    last = head(home)
    assert f"head #{last['sequence']} {last['hash']}" in result.stdout
    checkpoint = json.loads((home / "audit" / "checkpoints.jsonl").read_text())
    assert (checkpoint["sequence"], checkpoint["hash"]) == (last["sequence"], last["hash"])


@pytest.mark.parametrize(
    ("marks", "reason"),
    [
        ({}, "its content does not match its hash"),
        ({"algorithm": "sha256", "key_id": ""}, "it is unkeyed, yet follows events signed"),
    ],
    ids=["as-keyed", "as-unkeyed"],
)
def test_an_event_rewritten_with_every_later_hash_recomputed_is_named(
    copy: Path, demo_home: Path, marks: dict[str, str], reason: str
) -> None:
    target = events(copy, "action = 'case.assessed' AND details LIKE '%\"criminal\"%'")[10]
    cleared = target["details"].replace('"criminal"', '"not_illegal"')
    rewrite_forward(copy, target["sequence"], details=cleared, **marks)
    result = verify(copy, demo_home)
    assert result.returncode == 1
    assert f"at event #{target['sequence']}: {reason}" in result.stderr


def test_a_chain_rewritten_whole_as_unkeyed_is_caught_by_its_checkpoint(
    copy: Path, demo_home: Path
) -> None:
    rewrite_forward(copy, 1, algorithm="sha256", key_id="")
    result = verify(copy, demo_home)
    assert result.returncode == 1
    assert f"at event #{head(copy)['sequence']}: its hash differs from the checkpoint" in (
        result.stderr
    )


def test_a_chain_cut_short_after_a_checkpoint_names_the_missing_tail(
    copy: Path, demo_home: Path
) -> None:
    last = head(copy)["sequence"]
    with sqlite3.connect(copy / "turntide.sqlite3") as db:
        db.execute("DELETE FROM audit_event WHERE sequence > ?", [last - 3])
    result = verify(copy, demo_home)
    assert result.returncode == 1
    assert f"events after #{last - 3} are missing" in result.stderr
    assert f"names #{last}" in result.stderr


def test_a_forged_event_appended_with_a_well_formed_hash_is_named(
    copy: Path, demo_home: Path
) -> None:
    forged = head(copy)
    forged.update(action="case.assessed", previous_hash=forged["hash"])
    forged["sequence"] += 1
    forged["hash"] = plain_sha256(forged)
    with sqlite3.connect(copy / "turntide.sqlite3") as db:
        db.execute(
            f"INSERT INTO audit_event ({', '.join(forged)}) "  # noqa: S608
            f"VALUES ({', '.join('?' for _ in forged)})",
            list(forged.values()),
        )
    result = verify(copy, demo_home)
    assert result.returncode == 1
    assert f"at event #{forged['sequence']}: its content does not match its hash" in (result.stderr)


@pytest.mark.parametrize("edit", ["forged", "edited"])
def test_a_checkpoint_line_not_signed_by_the_key_is_refused(
    copy: Path, demo_home: Path, edit: str
) -> None:
    checkpoints = copy / "audit" / "checkpoints.jsonl"
    line = json.loads(checkpoints.read_text())
    if edit == "forged":  # a checkpoint that would hide nothing, signed with a guessed key
        line["mac"] = "0" * 64
    else:  # the real checkpoint, moved back so that a cut would go unseen
        line["sequence"] -= 3
    checkpoints.write_text(json.dumps(line) + "\n")
    result = verify(copy, demo_home)
    assert result.returncode == 1
    assert "checkpoint on line 1" in result.stderr
    assert "does not match its signature" in result.stderr
