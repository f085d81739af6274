"""Partner sets: CSV, JSON, JSON Lines or `turntide hash` output; errors by line, all or nothing."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from PIL import Image

from tests.hashes.conftest import MD5, SHA1, pdq
from turntide.cli import main
from turntide.core.files import FileChangedDuringImport
from turntide.core.rowfiles import UnreadableFile
from turntide.hashes.importing import import_hashes
from turntide.hashes.models import HashEntry


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
    assert [str(error) for error in summary.errors] == [
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
    assert [str(error) for error in summary.errors] == [
        "line 2: malformed JSON: Expecting property name enclosed in double quotes"
    ]
    assert summary.added == 0


def test_the_output_of_turntide_hash(tmp_path: Path, partner) -> None:
    path = write(tmp_path, "hashes.tsv", f"{MD5}\t{SHA1}\t{pdq(3)}\t100\t/secret/name.png\n")
    assert import_hashes("cli", path, partner, default_category="A").added == 3
    assert not HashEntry.objects.filter(value__contains="name.png").exists()


def test_a_file_in_no_known_format_is_refused(tmp_path: Path, partner) -> None:
    with pytest.raises(UnreadableFile, match="columns type and value"):
        import_hashes("cli", write(tmp_path, "set.csv", "hash\nabc\n"), partner)


def test_degenerate_hashes_are_refused_by_line_and_skipped_on_request(
    tmp_path: Path, partner
) -> None:
    empty_md5 = hashlib.md5(b"", usedforsecurity=False).hexdigest()
    path = write(
        tmp_path,
        "set.csv",
        f"type,value,quality\nmd5,{empty_md5},\npdq,{'0' * 64},100\nmd5,{MD5},\n",
    )
    summary = import_hashes("cli", path, partner)
    assert [str(error) for error in summary.errors] == [
        "line 2: the md5 of an empty file: listed, it would flag every empty file",
        "line 3: a pdq hash of all zeros: listed, it would flag every black image",
    ]
    assert not HashEntry.objects.exists()
    assert import_hashes("cli", path, partner, skip_invalid=True).added == 1
    assert list(HashEntry.objects.values_list("value", flat=True)) == [MD5]


def test_the_cli_refuses_what_turntide_hash_printed_for_a_black_image(
    tmp_path: Path, partner, capsys: pytest.CaptureFixture[str]
) -> None:
    black = tmp_path / "black.png"
    Image.new("RGB", (640, 480)).save(black)
    assert main(["hash", str(black)]) == 0  # the line is printed, with a warning
    hashed = capsys.readouterr()
    assert "all zeros" in hashed.err
    printed = write(tmp_path, "hashes.tsv", hashed.out)
    assert main(["hashes", "import", str(printed), "--source", partner.name]) == 1
    assert "line 1: a pdq hash of all zeros" in capsys.readouterr().err
    assert not HashEntry.objects.exists()


def test_a_set_changed_while_it_was_checked_lists_nothing(tmp_path: Path, partner) -> None:
    path = write(tmp_path, "set.csv", f"type,value\nmd5,{MD5}\n")

    def edit_when_checked(phase: str, rows: int) -> None:
        if phase == "checking":
            path.write_text(f"type,value\nsha1,{SHA1}\n")

    with pytest.raises(FileChangedDuringImport, match="nothing was imported"):
        import_hashes("cli", path, partner, progress=edit_when_checked)
    assert not HashEntry.objects.exists()
