"""The audit trail at /audit/: who may read it, filters, keyset pages, CSV, the chain's state."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from tests.helpers import MANAGERS_AND_ADMINISTRATORS
from turntide.audit.actions import do_verify_chain, record
from turntide.audit.models import Event

TRAIL = "/audit/"


@pytest.fixture
def reader(client: Client, manager) -> Client:
    client.force_login(manager)
    return client


def rows(response) -> list[str]:
    """The sequence numbers of the events listed on a trail page, in order."""
    return [e.sequence for e in (event for event, _link in response.context["rows"])]


@pytest.mark.parametrize(("persona", "status"), MANAGERS_AND_ADMINISTRATORS)
@pytest.mark.parametrize("path", [TRAIL, f"{TRAIL}export.csv"])
def test_only_managers_and_administrators_read_the_trail(
    client: Client, db: None, request: pytest.FixtureRequest, persona: str, status: int, path: str
) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get(path).status_code == status


def test_anonymous_visitors_are_sent_to_login(client: Client, db: None) -> None:
    assert client.get(TRAIL)["Location"].startswith("/accounts/login/")
    assert client.post(f"{TRAIL}verify/")["Location"].startswith("/accounts/login/")


def test_the_newest_event_comes_first(reader: Client) -> None:
    first, second = record("ada", "case.claimed"), record("ada", "case.released")
    listed = rows(reader.get(TRAIL))
    assert listed.index(second.sequence) < listed.index(first.sequence)
    assert listed == sorted(listed, reverse=True)


def test_filters_by_actor_action_object_and_days(reader: Client) -> None:
    claimed = record("ada", "case.claimed", object_type="case", object_code="C-1")
    record("sam", "case.claimed", object_type="case", object_code="C-2")
    released = record("ada", "case.released", object_type="case", object_code="C-1")
    assert rows(reader.get(TRAIL, {"actor": "ada"})) == [released.sequence, claimed.sequence]
    assert len(rows(reader.get(TRAIL, {"action": "case.claimed"}))) == 2
    assert len(rows(reader.get(TRAIL, {"action": "case."}))) == 3  # a prefix ends in a dot
    assert rows(reader.get(TRAIL, {"object": "C-1", "action": "case.released"})) == [
        released.sequence
    ]
    today = datetime.now(UTC).date()
    assert len(rows(reader.get(TRAIL, {"since": today, "until": today, "actor": "ada"}))) == 2
    yesterday = today - timedelta(days=1)
    assert rows(reader.get(TRAIL, {"until": yesterday})) == []


@pytest.mark.parametrize(
    "query",
    [{"since": "someday"}, {"before": "abc"}, {"since": "2026-02-02", "until": "2026-02-01"}],
)
def test_bad_filters_answer_400_with_the_reason(reader: Client, query: dict[str, str]) -> None:
    response = reader.get(TRAIL, query)
    assert response.status_code == 400
    assert b"errorlist" in response.content


def test_pages_are_cut_by_sequence_not_offset(reader: Client) -> None:
    made = [record("ada", "case.claimed").sequence for _ in range(60)]
    first = reader.get(TRAIL, {"actor": "ada", "size": 25})
    assert rows(first) == made[::-1][:25]
    assert first.context["newer_url"] == ""

    with CaptureQueriesContext(connection) as queries:
        second = reader.get(first.context["older_url"])
    assert rows(second) == made[::-1][25:50]
    assert not any("OFFSET" in query["sql"].upper() for query in queries.captured_queries)
    third = reader.get(second.context["older_url"])
    assert rows(third) == made[::-1][50:]
    assert third.context["older_url"] == ""

    back = reader.get(third.context["newer_url"])
    assert rows(back) == rows(second)
    assert "actor=ada" in back.context["newest_url"]


def test_each_event_links_to_its_object(reader: Client, reported_case) -> None:
    record("ada", "case.claimed", object_type="case", object_code=reported_case.code)
    record("root-admin", "account.created", object_type="user", object_code="nina")
    links = dict((e.object_code, link) for e, link in reader.get(TRAIL).context["rows"])
    assert links[reported_case.code] == f"/cases/{reported_case.code}/"
    assert links["nina"] == "/audit/?object=nina"


def test_the_export_streams_the_filtered_view_as_safe_csv_and_is_audited(reader: Client) -> None:
    record("ada", "case.claimed", object_type="case", object_code="C-1")
    record("=cmd", "case.claimed", object_type="case", object_code="C-2", details={"n": 1})
    response = reader.get(f"{TRAIL}export.csv", {"action": "case.claimed"})
    assert response.streaming
    assert response["Content-Disposition"].startswith("attachment;")
    table = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert table[0][:4] == ["sequence", "occurred_at", "actor", "action"]
    assert [row[2] for row in table[1:]] == ["'=cmd", "ada"]
    assert table[1][6] == '{"n": 1}'
    exported = Event.objects.get(action="audit.exported")
    assert exported.actor == "mia"
    assert exported.details == {"filters": {"action": "case.claimed"}}


def test_the_page_shows_the_last_verification_without_walking_the_chain(reader: Client) -> None:
    assert b"Not verified yet" in reader.get(TRAIL).content
    do_verify_chain("system")
    page = reader.get(TRAIL)
    assert b"Intact" in page.content

    victim = Event.objects.order_by("sequence").first()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Event._meta.db_table} SET actor = 'mallory' WHERE sequence = %s",  # noqa: S608
            [victim.sequence],
        )
    do_verify_chain("system")
    with CaptureQueriesContext(connection) as queries:
        page = reader.get(TRAIL)
    assert b"Broken" in page.content
    assert f"event #{victim.sequence}".encode() in page.content
    assert len(queries) < 15  # a few indexed lookups, whatever the chain's length


def test_verify_now_queues_the_walk_for_the_worker(reader: Client) -> None:
    response = reader.post(f"{TRAIL}verify/")
    assert response["Location"] == TRAIL
    assert DBTaskResult.objects.filter(task_path="turntide.audit.tasks.verify_audit_chain").exists()
