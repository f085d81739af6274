"""Row files: CSV, JSON Lines and JSON arrays read alike, by line; one time rule for all."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from turntide.core.rowfiles import (
    CLOCK_SKEW,
    InvalidTime,
    UnreadableFile,
    numbered_lines,
    parse_time,
    read_rows,
)

NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)


def write(tmp_path: Path, content: str | bytes) -> Path:
    path = tmp_path / "rows"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def rows(path: Path) -> list[tuple[int, dict[str, object], str]]:
    return [(row.line, row.fields, row.problem) for row in read_rows(path)]


def test_the_three_formats_give_the_same_rows(tmp_path: Path) -> None:
    csv_file = write(tmp_path, '\ufeffurl,notes\nhttp://a.example/,"two\nlines"\n')
    assert rows(csv_file) == [(3, {"url": "http://a.example/", "notes": "two\nlines"}, "")]
    lines = write(tmp_path, '\n{"url": "http://a.example/", "n": 1}\n')
    assert rows(lines) == [(2, {"url": "http://a.example/", "n": 1}, "")]
    array = write(tmp_path, ' [{"url": "http://a.example/"}, 7]')
    assert rows(array) == [(1, {"url": "http://a.example/"}, ""), (2, {}, "not a JSON object")]


def test_a_row_that_cannot_be_read_is_named_and_the_next_ones_still_are(tmp_path: Path) -> None:
    path = write(tmp_path, '{"url": 1}\n{"url": \n{"url": 3}\n')
    assert rows(path) == [
        (1, {"url": 1}, ""),
        (2, {}, "malformed JSON: Expecting value"),
        (3, {"url": 3}, ""),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"url\nhttp://a.example/\n\xff\n", "not UTF-8 text"),
        (b"\xffurl\n", "not UTF-8 text"),
        (b'[{"url": 1},\n{"url"}]', "line 2: malformed JSON"),
        (b"url\nhttp://a.example/" + b"x" * 200_000 + b"\n", "line 2: not CSV: field larger"),
    ],
)
def test_a_file_that_cannot_be_read_as_rows_is_refused_whole(
    tmp_path: Path, content: bytes, message: str
) -> None:
    with pytest.raises(UnreadableFile, match=message):
        rows(write(tmp_path, content))


def test_a_csv_header_must_name_the_required_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "kind,value\nmd5,abc\n")
    with pytest.raises(UnreadableFile, match="columns type and value; missing: type"):
        list(read_rows(path, required=("type", "value")))
    assert len(list(read_rows(path, required=("value",)))) == 1


def test_lines_are_numbered_from_one(tmp_path: Path) -> None:
    path = write(tmp_path, "\ufeffa\tb\n\nc\n")
    assert list(numbered_lines(path)) == [(1, "a\tb\n"), (2, "\n"), (3, "c\n")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-06-01T14:00:00+02:00", datetime(2025, 6, 1, 12, tzinfo=UTC)),
        ("2024-02-29", datetime(2024, 2, 29, tzinfo=UTC)),
        ("2024-02-29 08:30", datetime(2024, 2, 29, 8, 30, tzinfo=UTC)),
        ("1990-01-01T00:00:00Z", datetime(1990, 1, 1, tzinfo=UTC)),
        ((NOW + CLOCK_SKEW).isoformat(), NOW + CLOCK_SKEW),
    ],
)
def test_times_within_the_rule_are_read_in_utc(text: str, expected: datetime) -> None:
    assert parse_time(text, NOW) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ((NOW + CLOCK_SKEW + timedelta(seconds=1)).isoformat(), "in the future"),
        ("2025-06-02", "in the future"),
        ("1989-12-31T23:59:59Z", "before 1990"),
        ("1990-01-01T00:30:00+01:00", "before 1990"),
        ("0001-01-01T00:00:00+05:00", "outside the times that can be stored"),
        ("01/06/2025", "not an ISO 8601 time: '01/06/2025'"),
        ("", "not an ISO 8601 time"),
    ],
)
def test_times_outside_the_rule_are_refused_with_the_reason(text: str, message: str) -> None:
    with pytest.raises(InvalidTime, match=message):
        parse_time(text, NOW)
