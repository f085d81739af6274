"""`turntide hash FILE...` (contract): one tab-separated line per image, errors on stderr."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.helpers import run_turntide
from turntide.cli import main
from turntide.core.hashing import hash_file


def write_noise(path: Path, seed: int) -> Path:
    """A generated picture: random colour cells, smoothly enlarged."""
    cells = np.random.default_rng(seed).integers(0, 256, (24, 32, 3), dtype=np.uint8)
    Image.fromarray(cells).resize((320, 240), Image.Resampling.BICUBIC).save(path)
    return path


def expected_line(path: Path) -> str:
    hashes = hash_file(path)
    fields = (hashes.md5, hashes.sha1, hashes.pdq_hex, str(hashes.pdq_quality), str(path))
    return "\t".join(fields)


def test_it_prints_md5_sha1_pdq_and_quality_per_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    png = write_noise(tmp_path / "a.png", 1)
    jpeg = write_noise(tmp_path / "b.jpg", 2)
    assert main(["hash", str(png), str(jpeg)]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == [expected_line(png), expected_line(jpeg)]
    md5, sha1, pdq, quality, path = out.splitlines()[0].split("\t")
    assert (len(md5), len(sha1), len(pdq), int(quality), path) == (32, 40, 64, 100, str(png))
    assert err == ""


def test_bad_files_are_named_on_stderr_and_the_rest_still_hashed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not an image")
    good = write_noise(tmp_path / "good.png", 3)
    missing = tmp_path / "missing.png"
    assert main(["hash", str(text), str(missing), str(good)]) == 2
    out, err = capsys.readouterr()
    assert out.splitlines() == [expected_line(good)]
    lines = err.splitlines()
    assert len(lines) == 2
    assert str(text) in lines[0]
    assert "not an image" in lines[0]
    assert str(missing) in lines[1]
    assert "No such file" in lines[1]


def test_a_folder_stands_for_the_files_in_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nested = tmp_path / "set" / "inner"
    nested.mkdir(parents=True)
    files = [write_noise(tmp_path / "set" / "b.png", 4), write_noise(nested / "a.png", 5)]
    assert main(["hash", str(tmp_path / "set")]) == 0
    assert capsys.readouterr().out.splitlines() == [expected_line(p) for p in sorted(files)]


def test_the_installed_command_runs_it(tmp_path: Path) -> None:
    picture = write_noise(tmp_path / "c.png", 6)
    result = run_turntide(None, "hash", str(picture), str(tmp_path / "nothing"))
    assert result.returncode == 2
    assert result.stdout == expected_line(picture) + "\n"
    assert "nothing" in result.stderr
