"""`turntide import assessments`: validated by line and column, all or nothing, idempotent."""

from __future__ import annotations

import io
import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from turntide.audit.models import Event
from turntide.cases import importing
from turntide.cases.importing import FileChangedDuringImport, import_assessments
from turntide.cases.models import Assessment, URLCase
from turntide.cli import main
from turntide.insights.statistics import Period, annual, period_statistics
from turntide.members.lists import do_publish_url_list
from turntide.members.models import URLListEntry

pytestmark = pytest.mark.django_db

HEADER = (
    "url,assessed_at,outcome,category,age_group,sex,self_generated,site_type,hosting_country,"
    "removed_at"
)
ROWS = [
    "http://old.example/a/1.html,2021-03-04T10:00:00Z,criminal,A,11-13,girls,yes,image_host,NL,",
    "HTTP://OLD.EXAMPLE/a/2.html,2021-05-01T08:00:00+02:00,criminal,C,14-15,girls,yes,forum,us,2021-05-03T06:00:00Z",
    "http://old.example/b/3.html,2021-06-01,criminal_non_photographic,B,,,no,,DE,",
    "http://harmless.test/page,2021-07-01T00:00:00Z,not_illegal,,,,,,,",
    "http://old.example/c/4.html,2020-01-10T00:00:00Z,criminal,C,7-10,boys,yes,website,NL,",
]


def write(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "history.csv"
    path.write_text("\n".join([header, *rows]) + "\n")
    return path


def test_each_row_becomes_a_decided_case_like_a_native_one(tmp_path: Path) -> None:
    summary = import_assessments("cli", write(tmp_path, *ROWS))

    assert (summary.imported, summary.errors) == (5, [])
    listed = URLCase.objects.get(canonical_url="http://old.example/a/1.html")
    assert listed.status == URLCase.Status.ACTIONED
    assert listed.actioned_at == datetime(2021, 3, 4, 10, tzinfo=UTC)
    assert listed.removed_at is None
    assert listed.imported_from
    removed = URLCase.objects.get(canonical_url="http://old.example/a/2.html")
    assert removed.status == URLCase.Status.REMOVED
    assert removed.hosting_country == "US"
    assert removed.removed_at - removed.actioned_at == (
        datetime(2021, 5, 3, 6, tzinfo=UTC) - datetime(2021, 5, 1, 6, tzinfo=UTC)
    )
    harmless = URLCase.objects.get(canonical_url="http://harmless.test/page")
    assert harmless.status == URLCase.Status.ASSESSED
    assert harmless.actioned_at is None
    judgement = Assessment.objects.get(case=listed)
    assert judgement.decisive
    assert judgement.analyst is None
    assert (judgement.category, judgement.age_group, judgement.self_generated) == (
        "A",
        "11-13",
        "yes",
    )


def test_imported_history_counts_in_the_statistics(tmp_path: Path) -> None:
    import_assessments("cli", write(tmp_path, *ROWS))

    figures = annual(2021, compare_to=2020)
    assert figures["reports_assessed"] == 4
    assert figures["urls_actioned"] == 3
    assert figures["self_generated"] == 2
    assert figures["by_category"] == {"A": 1, "B": 1, "C": 1}
    assert figures["self_generated_change_pct"] == 100.0
    removal = period_statistics(Period(2021)).removal
    assert (removal.removed, removal.median) == (1, removed_after_two_days())


def removed_after_two_days():
    return datetime(2021, 5, 3, 6, tzinfo=UTC) - datetime(2021, 5, 1, 6, tzinfo=UTC)


def test_imported_criminal_urls_not_yet_removed_are_on_the_url_list(tmp_path: Path) -> None:
    import_assessments("cli", write(tmp_path, *ROWS))
    do_publish_url_list()

    listed = set(
        URLListEntry.objects.filter(removed_version__isnull=True).values_list(
            "expression", flat=True
        )
    )
    assert {"old.example/a/1.html", "old.example/b/3.html", "old.example/c/4.html"} <= listed
    assert not {"old.example/a/2.html", "harmless.test/page"} & listed


def test_importing_the_same_file_again_adds_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, *ROWS)
    import_assessments("cli", path)
    again = import_assessments("cli", path)

    assert (again.imported, again.already_present) == (0, 5)
    assert URLCase.objects.count() == 5
    assert Assessment.objects.count() == 5
    assert Event.objects.filter(action="case.imported").count() == 1


def test_a_url_already_reported_keeps_its_own_case(tmp_path: Path, reported_case) -> None:
    summary = import_assessments(
        "cli", write(tmp_path, f"{reported_case.canonical_url},2021-01-01,criminal,A,,,,,,")
    )
    assert (summary.imported, summary.already_present) == (0, 1)
    assert not Assessment.objects.exists()


def test_errors_are_named_by_line_and_column_and_nothing_is_imported(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        ROWS[0],
        "ftp://files.example/x,2021-13-01,guilty,D,12,girl,maybe,moon,Netherlands,",
        "http://x.example/1,2021-01-01,not_illegal,A,,,,,,2021-02-01",
        ROWS[0].replace("a/1.html", "a/1.html#again"),
        "http://y.example/1,2021-02-01,criminal,,,,,,,2021-01-01",
        ",,,,,,,,,",
        "http://w.example/1,2021-01-01,criminal,,,,,,,2999-01-01T00:00:00Z",
        "http://v.example/1,0001-01-01T00:00:00+01:00,criminal,,,,,,,",
    )
    summary = import_assessments("cli", path)

    assert summary.imported == 0
    assert summary.invalid_rows == 7
    assert not URLCase.objects.exists()
    errors = {(error.line, error.column) for error in summary.errors}
    assert errors >= {
        (3, "url"),
        (3, "assessed_at"),
        (3, "outcome"),
        (3, "category"),
        (3, "age_group"),
        (3, "sex"),
        (3, "self_generated"),
        (3, "site_type"),
        (3, "hosting_country"),
        (4, "category"),
        (4, "removed_at"),
        (5, "url"),
        (6, "removed_at"),
        (7, "url"),
        (7, "assessed_at"),
        (7, "outcome"),
        (8, "removed_at"),
        (9, "assessed_at"),
    }
    messages = [str(error) for error in summary.errors]
    assert "line 5, column url: the same web address as line 2" in messages
    assert "line 6, column removed_at: before assessed_at" in messages
    assert "line 8, column removed_at: in the future" in messages
    assert (
        "line 4, column category: grading is for criminal outcomes, not 'not_illegal'" in messages
    )


def test_skip_invalid_imports_the_good_rows(tmp_path: Path) -> None:
    path = write(tmp_path, ROWS[0], "javascript:alert(1),2021-01-01,criminal,,,,,,,", ROWS[3])
    summary = import_assessments("cli", path, skip_invalid=True)

    assert (summary.imported, summary.invalid_rows) == (2, 1)
    assert URLCase.objects.count() == 2


def test_an_unknown_column_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, ROWS[0] + ",oops", header=HEADER + ",colour")
    assert [str(e) for e in import_assessments("cli", path).errors] == [
        "line 2, column colour: unknown column"
    ]


def test_a_row_longer_than_the_header_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, ROWS[0] + ",surplus")
    assert [str(e) for e in import_assessments("cli", path).errors] == [
        "line 2: more values than the header names"
    ]


def test_json_lines_work_too(tmp_path: Path) -> None:
    path = tmp_path / "history.jsonl"
    path.write_text(
        json.dumps(
            {
                "url": "http://j.example/1",
                "assessed_at": "2022-01-01T00:00:00Z",
                "outcome": "criminal",
                "category": "B",
            }
        )
        + "\n"
    )
    assert import_assessments("cli", path).imported == 1


def test_the_command_reports_errors_and_exits_1(tmp_path: Path, capsys) -> None:
    bad = write(tmp_path, ROWS[0], "http://z.example/1,yesterday,criminal,,,,,,,")
    assert main(["import", "assessments", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "line 3, column assessed_at: not an ISO 8601 time: 'yesterday'" in err
    assert "nothing imported: 1 invalid rows" in err

    assert main(["import", "assessments", "--skip-invalid", str(bad)]) == 0
    assert (
        "imported 1 assessed URLs; 0 already present; 1 invalid rows skipped"
        in capsys.readouterr().out
    )
    assert main(["import", "assessments", str(tmp_path / "missing.csv")]) == 2


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_sees_progress_bars_for_checking_and_importing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["import", "assessments", str(write(tmp_path, *ROWS))]) == 0
    shown = terminal.getvalue()
    assert "checking: " in shown
    assert "importing: " in shown
    assert "5 rows" in shown


def test_a_file_changed_after_checking_stops_the_import_before_anything_is_written(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, *ROWS)

    def edit_when_checked(phase: str, rows: int) -> None:
        if phase == "checking":
            path.write_text(path.read_text().replace("2021-03-04", "2021-03-05"))

    with pytest.raises(FileChangedDuringImport, match="nothing was imported; run the import"):
        import_assessments("cli", path, progress=edit_when_checked)
    assert not URLCase.objects.exists()
    assert not Event.objects.filter(action="case.imported").exists()
    assert import_assessments("cli", path).imported == 5  # as it is now, checked again


def test_a_file_changed_while_written_writes_only_what_was_checked_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file is read once: rows added while it is written are never imported; chunks
    committed stay, and running the import again on the fixed file finishes it."""
    monkeypatch.setattr(importing, "CHUNK_ROWS", 100)
    good = [f"http://many.example/{n},2021-03-04T10:00:00Z,not_illegal,,,,,,," for n in range(3000)]
    path = write(tmp_path, *good)

    later = [row.replace("many.example", "later.example") for row in good[:50]]

    def append_a_bad_row(phase: str, rows: int) -> None:
        if phase == "importing" and URLCase.objects.count() == 100:
            with path.open("a") as handle:
                handle.write("\n".join(["http://late.example/,never,criminal,,,,,,,", *later]))

    with pytest.raises(FileChangedDuringImport, match="3000 rows were imported as it was read"):
        import_assessments("cli", path, progress=append_a_bad_row)
    assert URLCase.objects.count() == 3000  # the rows checked, none of those added
    assert not URLCase.objects.filter(canonical_url__contains="later.example").exists()
    path.write_text("\n".join([HEADER, *good]) + "\n")
    again = import_assessments("cli", path)
    assert again.imported + again.already_present == 3000
    assert URLCase.objects.count() == Assessment.objects.count() == 3000


def test_a_file_changed_after_the_last_row_is_read_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, *ROWS)

    def edit_when_written(phase: str, rows: int) -> None:
        if phase == "importing":
            path.write_text(path.read_text() + "\n")

    with pytest.raises(FileChangedDuringImport, match="5 rows were imported as it was read"):
        import_assessments("cli", path, progress=edit_when_written)
    assert import_assessments("cli", path).already_present == 5


def test_a_judgement_a_minute_ahead_of_our_clock_is_accepted(tmp_path: Path) -> None:
    """The one time rule allows a sender's clock a few minutes fast, no more."""
    ahead = (datetime.now(UTC) + timedelta(minutes=1)).isoformat()
    path = write(tmp_path, f"http://fast.example/1,{ahead},not_illegal,,,,,,,")
    assert (import_assessments("cli", path).imported, URLCase.objects.count()) == (1, 1)
