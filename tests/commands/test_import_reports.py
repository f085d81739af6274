"""`turntide import reports FILE` (contract): validated whole, idempotent, CSV or JSON Lines."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from turntide.audit.models import Event
from turntide.cases.models import URLCase
from turntide.cli import main
from turntide.reports import importing
from turntide.reports.models import Report, ReportedURL

CSV = """url,report_id,received_at,channel,content_type,immediate_danger,notes
http://one.example/a.html,R1,2024-03-01T10:00:00Z,public,images,no,
http://one.example/b.html,R1,2024-03-01T10:00:00Z,public,images,no,
HTTP://ONE.example/a.html,,2024-04-01T09:00:00+01:00,trusted,,yes,seen again
two.example/c.html,,,,,,
"""


@pytest.fixture
def csv_file(tmp_path: Path) -> Path:
    path = tmp_path / "reports.csv"
    path.write_text(CSV)
    return path


@pytest.mark.django_db
def test_a_csv_file_becomes_reports_and_cases(capsys, csv_file: Path) -> None:
    assert main(["import", "reports", str(csv_file)]) == 0
    assert "imported 3 reports (4 URLs)" in capsys.readouterr().out
    assert Report.objects.count() == 3
    assert URLCase.objects.count() == 3
    case = URLCase.objects.get(canonical_url="http://one.example/a.html")
    assert case.report_count == 2
    assert case.immediate_danger
    assert case.first_reported_at.isoformat() == "2024-03-01T10:00:00+00:00"
    assert ReportedURL.objects.get(notes="seen again").report.channel == "trusted"
    assert Report.objects.get(urls__canonical_url="http://two.example/c.html").channel == "import"
    assert Event.objects.filter(action="report.imported").count() == 1


@pytest.mark.django_db
def test_importing_the_same_file_again_adds_nothing(capsys, csv_file: Path) -> None:
    main(["import", "reports", str(csv_file)])
    assert main(["import", "reports", str(csv_file)]) == 0
    assert "imported 0 reports (0 URLs); 3 already imported" in capsys.readouterr().out
    assert Report.objects.count() == 3


@pytest.mark.django_db
def test_chunks_keep_each_report_whole_and_a_cut_short_import_finishes_on_rerun(
    capsys, monkeypatch, csv_file: Path
) -> None:
    monkeypatch.setattr("turntide.reports.importing.CHUNK_URLS", 1)
    original = importing.store_reports
    calls = []

    def dies_on_the_second_chunk(reports, **kwargs):
        calls.append([report.reference for report in reports])
        if len(calls) == 2:
            raise RuntimeError("power cut")
        return original(reports, **kwargs)

    monkeypatch.setattr(importing, "store_reports", dies_on_the_second_chunk)
    with pytest.raises(RuntimeError):
        main(["import", "reports", str(csv_file)])
    assert Report.objects.count() == 1
    assert ReportedURL.objects.count() == 2  # R1's two rows came in one chunk
    monkeypatch.setattr(importing, "store_reports", original)
    assert main(["import", "reports", str(csv_file)]) == 0
    assert "imported 2 reports (2 URLs); 1 already imported" in capsys.readouterr().out
    assert URLCase.objects.get(canonical_url="http://one.example/a.html").report_count == 2
    assert Event.objects.filter(action="report.imported").count() == 3


@pytest.mark.django_db
def test_a_file_changed_while_it_was_checked_imports_nothing(
    capsys, monkeypatch, csv_file: Path
) -> None:
    digests = iter(["before", "after"])
    monkeypatch.setattr("turntide.importing.sha256_of_file", lambda _path: next(digests))
    assert main(["import", "reports", str(csv_file), "--skip-invalid"]) == 1
    assert "changed while it was checked; nothing was imported" in capsys.readouterr().err
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_json_lines_work_too(tmp_path: Path) -> None:
    path = tmp_path / "reports.jsonl"
    rows = [{"url": "http://one.example/"}, {"url": "http://two.example/", "found_by": "crawler"}]
    path.write_text("\n".join(json.dumps(row) for row in rows) + "\n")
    assert main(["import", "reports", str(path)]) == 0
    assert ReportedURL.objects.get(found_by="crawler").canonical_url == "http://two.example/"


@pytest.mark.django_db
def test_one_bad_row_stops_the_whole_import_and_names_line_and_column(
    capsys, tmp_path: Path
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "url,channel,received_at\nhttp://ok.example/,public,\nftp://x.example/,radio,yesterday\n"
    )
    assert main(["import", "reports", str(path)]) == 1
    err = capsys.readouterr().err
    assert "line 3, column url" in err
    assert "line 3, column channel" in err
    assert "line 3, column received_at" in err
    assert "nothing imported" in err
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_skip_invalid_imports_the_good_rows(capsys, tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text("url,colour\nhttp://ok.example/,\n")
    assert main(["import", "reports", str(path)]) == 1
    assert "column colour: unknown column" in capsys.readouterr().err
    path.write_text("url\nhttp://ok.example/\nmailto:someone@example.com\n")
    assert main(["import", "reports", str(path), "--skip-invalid"]) == 0
    assert "1 invalid rows skipped" in capsys.readouterr().out
    assert Report.objects.count() == 1


@pytest.mark.django_db
def test_a_missing_file_is_a_clear_error(capsys, tmp_path: Path) -> None:
    assert main(["import", "reports", str(tmp_path / "none.csv")]) == 2
    assert "no such file" in capsys.readouterr().err


@pytest.mark.django_db
def test_a_report_id_must_not_come_back_later_in_the_file(capsys, tmp_path: Path) -> None:
    path = tmp_path / "scattered.csv"
    path.write_text(
        "url,report_id\nhttp://a.example/,r1\nhttp://b.example/,r2\nhttp://c.example/,r1\n"
    )
    assert main(["import", "reports", str(path)]) == 1
    assert "line 4, column report_id: also at line 2" in capsys.readouterr().err
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_the_same_report_id_from_two_sources_is_two_reports(tmp_path: Path) -> None:
    path = tmp_path / "partners.csv"
    path.write_text("url,report_id,source\nhttp://a.example/,1,ORG-A\n")
    main(["import", "reports", str(path)])
    path.write_text("url,report_id,source\nhttp://a.example/,1,ORG-B\n")
    main(["import", "reports", str(path)])
    assert Report.objects.count() == 2


@pytest.mark.django_db
def test_identical_rows_are_separate_reports_and_adding_rows_adds_only_them(
    capsys, tmp_path: Path
) -> None:
    path = tmp_path / "twice.csv"
    path.write_text("url\nhttp://a.example/\nhttp://a.example/\n")
    main(["import", "reports", str(path)])
    assert Report.objects.count() == 2
    path.write_text("url\nhttp://new.example/\nhttp://a.example/\nhttp://a.example/\n")
    main(["import", "reports", str(path)])
    assert Report.objects.count() == 3


@pytest.mark.django_db
def test_a_time_with_no_utc_equivalent_is_a_row_error(capsys, tmp_path: Path) -> None:
    path = tmp_path / "ancient.csv"
    path.write_text("url,found_at\nhttp://a.example/,0001-01-01T00:00:00+05:00\n")
    assert main(["import", "reports", str(path)]) == 1
    assert "column found_at: outside the times" in capsys.readouterr().err


@pytest.mark.django_db
def test_a_time_in_the_future_or_before_1990_is_a_row_error(tmp_path: Path) -> None:
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    path = tmp_path / "times.jsonl"
    rows = [
        {"url": "http://a.example/", "received_at": tomorrow},
        {"url": "http://b.example/", "found_at": "1989-12-31"},
    ]
    path.write_text("\n".join(json.dumps(row) for row in rows) + "\n")
    summary = importing.import_reports("cli", path)
    assert [str(error) for error in summary.errors] == [
        "line 1, column received_at: in the future",
        "line 2, column found_at: before 1990",
    ]
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_a_file_that_is_not_text_is_refused_whole_with_exit_2(capsys, tmp_path: Path) -> None:
    path = tmp_path / "image.csv"
    path.write_bytes(b"url\nhttp://a.example/\n\x89PNG\r\n\x1a\n")
    assert main(["import", "reports", str(path)]) == 2
    assert f"turntide import reports: {path}: the file is not UTF-8 text" in capsys.readouterr().err
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_the_import_door_takes_only_public_addresses_like_the_form(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:

    source = tmp_path / "reports.csv"
    source.write_text(
        "url\nhttp://192.168.1.1/admin\nhello\nhttp://localhost/x\nhttp://fine.example/a\n"
    )
    assert main(["import", "reports", str(source)]) == 1
    err = capsys.readouterr().err
    assert "line 2, column url: 192.168.1.1 is a priv" in err
    assert 'line 3, column url: "hello" has no dot' in err
    assert 'line 4, column url: "localhost" names the computer' in err
    assert not URLCase.objects.exists()
