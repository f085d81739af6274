"""Row-level case exports: requested by a manager, written by the worker, downloaded, audited."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from tests.conftest import PASSWORD
from turntide.audit.models import Event
from turntide.cases.models import Assessment, URLCase
from turntide.insights.case_export import COLUMNS, export_path
from turntide.insights.export_actions import do_request_case_export, do_write_case_export
from turntide.insights.models import CaseExport
from turntide.reports.actions import do_receive_report

EXPORTS = "/insights/exports/"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "case-export.md"
SECRET_WORDS = "reporter-secret-7Q3X"


@pytest.fixture(autouse=True)
def export_dir(settings, tmp_path: Path) -> Path:
    settings.TURNTIDE_EXPORT_DIR = tmp_path / "exports"
    return settings.TURNTIDE_EXPORT_DIR


def reported(name: str, when: datetime, **report: str) -> URLCase:
    _report, urls = do_receive_report("public", [f"http://{name}.example/x.html"], **report)
    URLCase.objects.filter(url_key=urls[0].url_key).update(first_reported_at=when)
    return URLCase.objects.get(url_key=urls[0].url_key)


@pytest.fixture
def cases(db: None) -> dict[str, URLCase]:
    decided = reported("decided", datetime(2026, 2, 3, 9, tzinfo=UTC), description=SECRET_WORDS)
    Assessment.objects.create(
        case=decided,
        outcome="criminal",
        category="B",
        age_group="11-13",
        decisive=True,
        assessed_at=datetime(2026, 2, 4, tzinfo=UTC),
        notes=SECRET_WORDS,
    )
    URLCase.objects.filter(pk=decided.pk).update(
        status="removed",
        actioned_at=datetime(2026, 2, 4, 1, tzinfo=UTC),
        removed_at=datetime(2026, 2, 5, tzinfo=UTC),
    )
    waiting = reported("waiting", datetime(2026, 2, 28, 23, tzinfo=UTC))
    later = reported("later", datetime(2026, 3, 1, 0, 30, tzinfo=UTC))
    return {"decided": decided, "waiting": waiting, "later": later}


def written(manager, start: date, end: date) -> tuple[CaseExport, list[dict[str, str]]]:
    export = do_request_case_export(manager, start, end)
    assert do_write_case_export(export.code) is not None
    export.refresh_from_db()
    client = Client()
    client.force_login(manager)
    response = client.get(f"{EXPORTS}{export.code}.csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    return export, list(csv.DictReader(io.StringIO(text)))


def test_a_manager_requests_an_export_and_the_worker_is_asked_to_write_it(
    client: Client, manager
) -> None:
    client.force_login(manager)
    response = client.post(EXPORTS, {"start": "2026-02-01", "end": "2026-02-28"})
    assert response.status_code == 302
    export = CaseExport.objects.get()
    assert (export.status, export.start, export.end) == (
        "queued",
        date(2026, 2, 1),
        date(2026, 2, 28),
    )
    assert DBTaskResult.objects.filter(
        task_path="turntide.insights.tasks.write_case_export", args_kwargs__args=[export.code]
    ).exists()
    assert Event.objects.filter(action="export.requested", actor="mia").exists()


def test_the_file_has_one_row_per_case_of_the_period_with_its_standing_decision(
    manager, cases
) -> None:
    export, rows = written(manager, date(2026, 2, 1), date(2026, 2, 28))
    assert export.status == "done"
    assert export.rows == 2
    assert [row["case"] for row in rows] == [cases["decided"].code, cases["waiting"].code]
    decided, waiting = rows
    assert list(decided) == list(COLUMNS)
    assert decided["outcome"] == "criminal"
    assert decided["category"] == "B"
    assert decided["decided_at"] == "2026-02-04T00:00:00+00:00"
    assert decided["removed_at"] == "2026-02-05T00:00:00+00:00"
    assert decided["status"] == "removed"
    assert decided["imported"] == "False"
    assert waiting["outcome"] == ""
    assert waiting["status"] == "new"
    assert Event.objects.filter(action="export.written", details__rows=2).exists()
    assert Event.objects.filter(action="export.downloaded", object_code=export.code).exists()


def test_nothing_a_reporter_gave_nor_any_web_address_is_exported(manager, cases) -> None:
    export, _rows = written(manager, date(2026, 2, 1), date(2026, 3, 31))
    text = export_path(export).read_text()
    assert SECRET_WORDS not in text
    assert ".example" not in text
    assert "@" not in text


def test_a_second_run_of_the_task_writes_nothing_again(manager, cases) -> None:
    export, _rows = written(manager, date(2026, 2, 1), date(2026, 2, 28))
    assert do_write_case_export(export.code) is None
    assert Event.objects.filter(action="export.written").count() == 1


def test_an_unwritable_folder_fails_the_export_with_its_reason(manager, cases, settings, tmp_path):
    (tmp_path / "occupied").write_text("a file where the folder should be")
    settings.TURNTIDE_EXPORT_DIR = tmp_path / "occupied" / "exports"
    export = do_request_case_export(manager, date(2026, 2, 1), date(2026, 2, 28))
    do_write_case_export(export.code)
    export.refresh_from_db()
    assert export.status == "failed"
    assert export.error
    assert Event.objects.filter(action="export.failed", object_code=export.code).exists()


def test_the_end_must_not_come_before_the_start(client: Client, manager) -> None:
    client.force_login(manager)
    response = client.post(EXPORTS, {"start": "2026-02-28", "end": "2026-02-01"})
    assert response.status_code == 400
    assert not CaseExport.objects.exists()


@pytest.mark.parametrize(
    ("persona", "listing", "download"),
    [
        ("manager", 200, 200),
        ("administrator", 200, 200),
        ("analyst", 403, 404),
        ("researcher", 403, 404),
        ("outsider", 403, 404),
    ],
)
def test_only_managers_and_administrators_reach_exports(
    client: Client,
    request: pytest.FixtureRequest,
    manager,
    persona: str,
    listing: int,
    download: int,
) -> None:
    export = do_request_case_export(manager, date(2026, 2, 1), date(2026, 2, 28))
    do_write_case_export(export.code)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(EXPORTS).status_code == listing
    assert client.get(f"{EXPORTS}{export.code}.csv").status_code == download


def test_an_export_not_yet_written_cannot_be_downloaded(client: Client, manager) -> None:
    export = do_request_case_export(manager, date(2026, 2, 1), date(2026, 2, 28))
    client.login(username="mia", password=PASSWORD)
    assert client.get(f"{EXPORTS}{export.code}.csv").status_code == 404


def test_the_column_dictionary_describes_exactly_the_columns() -> None:
    documented = re.findall(r"^\| `([a-z_]+)` \|", DOCS.read_text(), flags=re.MULTILINE)
    assert documented == list(COLUMNS)
