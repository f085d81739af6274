"""Partner sets: CSV, JSON, JSON Lines or `turntide hash` output; errors by line, all or nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.hashes.conftest import pdq
from turntide.hashes.importing import ImportFormatError, import_hashes
from turntide.hashes.models import HashEntry

MD5 = "d41d8cd98f00b204e9800998ecf8427e"
SHA1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_a_csv_set_is_imported_in_one_version(tmp_path: Path, partner) -> None:
    path = write(
        tmp_path,
        "set.csv",
        f"type,value,category,quality\nmd5,{MD5},A,\npdq,{pdq(1)},,77\nsha1,{SHA1.upper()},C,\n",
    )
    summary = import_hashes("cli", path, partner, default_category="B")
    assert (summary.added, summary.version, summary.errors) == (3, 1, [])
    assert dict(HashEntry.objects.values_list("type", "category")) == {
        "md5": "A",
        "pdq": "B",
        "sha1": "C",
    }
    assert HashEntry.objects.get(type="pdq").pdq_quality == 77
    again = import_hashes("cli", path, partner)
    assert (again.added, again.already_listed, again.version) == (0, 3, 1)


def test_errors_are_named_by_line_and_nothing_is_imported(tmp_path: Path, partner) -> None:
    path = write(
        tmp_path, "set.csv", f"type,value,quality\nmd5,{MD5},\npdq,{pdq(1)},12\nsha1,nothex,\n"
    )
    summary = import_hashes("cli", path, partner)
    assert summary.errors == [
        "line 3: pdq quality 12 is below 50: such hashes match unrelated images "
        "(TURNTIDE_PDQ_MIN_QUALITY)",
        "line 4: a sha1 hash is 40 hexadecimal digits, not 6",
    ]
    assert not HashEntry.objects.exists()
    skipped = import_hashes("cli", path, partner, skip_invalid=True)
    assert skipped.added == 1
    assert list(HashEntry.objects.values_list("type", flat=True)) == ["md5"]


def test_json_and_json_lines(tmp_path: Path, partner) -> None:
    items = [{"type": "md5", "value": MD5}, {"type": "pdq", "value": pdq(2), "quality": 90}]
    array = write(tmp_path, "set.json", json.dumps(items))
    assert import_hashes("cli", array, partner).added == 2
    lines = write(
        tmp_path,
        "set.jsonl",
        json.dumps({"type": "sha1", "value": SHA1})
        + "\n"
        + "{broken\n"
        + json.dumps({"type": "photodna", "value": "1,2,3"})
        + "\n",
    )
    summary = import_hashes("cli", lines, partner)
    assert summary.errors == [
        "line 2: malformed JSON: Expecting property name enclosed in double quotes"
    ]
    assert summary.added == 0


def test_the_output_of_turntide_hash(tmp_path: Path, partner) -> None:
    path = write(tmp_path, "hashes.tsv", f"{MD5}\t{SHA1}\t{pdq(3)}\t100\t/secret/name.png\n")
    assert import_hashes("cli", path, partner, default_category="A").added == 3
    assert not HashEntry.objects.filter(value__contains="name.png").exists()


def test_a_file_in_no_known_format_is_refused(tmp_path: Path, partner) -> None:
    with pytest.raises(ImportFormatError, match="columns type and value"):
        import_hashes("cli", write(tmp_path, "set.csv", "hash\nabc\n"), partner)
