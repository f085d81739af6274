"""End to end, as a new user would: hash generated images, import them as a partner set,
sync the list as a member from a live server, check a transformed copy and an unrelated image,
withdraw a false positive and see it leave the next delta."""

from __future__ import annotations

import io
import json
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest
from PIL import Image

from tests.helpers import demo_env, run_turntide, serving, turntide
from turntide.cli import main
from turntide.core.hashlist import HashList


def noise_image(seed: int) -> Image.Image:
    """A synthetic picture: smooth random noise (low-resolution noise, enlarged)."""
    pixels = np.random.default_rng(seed).integers(0, 256, (24, 32, 3), dtype=np.uint8)
    return Image.fromarray(pixels).resize((640, 480), Image.Resampling.BICUBIC)


@pytest.fixture(scope="module")
def hash_server(tmp_path_factory: pytest.TempPathFactory):
    """A server whose hash list holds a partner set of three generated images' hashes."""
    home = tmp_path_factory.mktemp("hashes-home")
    env = demo_env(home)
    turntide(env, "manage", "migrate", "--verbosity", "0")
    turntide(env, "members", "create", "Example Platform", "--services", "hash-list")
    token = turntide(env, "members", "token", "Example Platform", "--services", "hash-list")
    turntide(env, "members", "create", "Example ISP", "--services", "url-list")
    url_token = turntide(env, "members", "token", "Example ISP", "--services", "url-list")

    images = home / "partner-images"
    images.mkdir()
    for seed in range(3):
        noise_image(seed).save(images / f"image-{seed}.png")
    hashed = turntide(env, "hash", *sorted(str(path) for path in images.iterdir()))
    (home / "partner-set.tsv").write_text(hashed)
    imported = turntide(
        env,
        "hashes",
        "import",
        str(home / "partner-set.tsv"),
        "--source",
        "Partner Hotline",
        "--licence",
        "shared under the 2026 partner agreement",
        "--category",
        "B",
    )
    assert "9 hashes added" in imported
    script = (
        "from turntide.accounts.actions import do_create_staff_user as make;"
        "make('system', 'root-admin', 'correct horse battery staple', ['administrator'])"
    )
    turntide(env, "manage", "shell", "-c", script)

    with serving(env) as server:
        yield {
            "env": env,
            "server": server,
            "token": token.strip(),
            "url_token": url_token.strip(),
            "hashed": hashed,
        }


def sync(server: dict, token: str, local: Path) -> int:
    return main(
        ["hashes", "sync", "--server", server["server"], "--token", token, "--out", str(local)]
    )


def test_a_transformed_copy_matches_and_an_unrelated_image_is_clear(
    hash_server, tmp_path: Path, capsys
) -> None:
    local = tmp_path / "hashes.list"
    assert sync(hash_server, hash_server["token"], local) == 0
    assert "version 1: 9 entries (+9 -0)" in capsys.readouterr().out

    copy = tmp_path / "copy.jpg"  # resized and re-encoded: only PDQ can still see it
    noise_image(0).resize((320, 240)).save(copy, quality=70)
    unrelated = tmp_path / "unrelated.png"
    noise_image(99).save(unrelated)
    assert main(["hashes", "check", "--list", str(local), str(copy), str(unrelated)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("match pdq:distance=")
    assert "category=B:source=Partner_Hotline" in lines[0]
    assert lines[0].endswith(f"\t{copy}")
    assert lines[1] == f"clear\t{unrelated}"
    assert main(["hashes", "check", "--list", str(local), str(unrelated)]) == 0


def test_hash_lines_on_stdin(hash_server, tmp_path: Path, capsys, monkeypatch) -> None:
    local = tmp_path / "hashes.list"
    assert sync(hash_server, hash_server["token"], local) == 0
    capsys.readouterr()
    first = hash_server["hashed"].splitlines()[0]
    md5 = first.split("\t")[0]
    stdin = f"{first}\nmd5 {md5.upper()}\n{'0' * 40}\nnot a hash\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    assert main(["hashes", "check", "--list", str(local), "-"]) == 1
    verdicts = [line.split("\t")[0].split(" ")[0] for line in capsys.readouterr().out.splitlines()]
    assert verdicts == ["match", "match", "clear", "invalid"]


def test_a_withdrawn_false_positive_leaves_the_next_delta(
    hash_server, tmp_path: Path, capsys
) -> None:
    local = tmp_path / "hashes.list"
    assert sync(hash_server, hash_server["token"], local) == 0
    capsys.readouterr()
    pdq = hash_server["hashed"].splitlines()[2].split("\t")[2]
    refused = run_turntide(
        hash_server["env"],
        *("hashes", "withdraw", "pdq", pdq, "--reason", "false-positive", "--by", "nobody"),
    )
    assert refused.returncode == 2
    assert "'nobody' is not one" in refused.stderr
    turntide(
        hash_server["env"],
        "hashes",
        "withdraw",
        "pdq",
        pdq,
        "--reason",
        "false-positive",
        "--note",
        "matches a harmless test card",
        "--by",
        "root-admin",
    )
    assert sync(hash_server, hash_server["token"], local) == 0
    assert "version 2: 8 entries (+0 -1)" in capsys.readouterr().out
    image = tmp_path / "image.png"
    noise_image(2).resize((320, 240)).save(image)  # only its PDQ hash could match
    assert main(["hashes", "check", "--list", str(local), str(image)]) == 0


def test_scope_and_token_errors_are_clear_and_keep_the_file(
    hash_server, tmp_path: Path, capsys
) -> None:
    local = tmp_path / "hashes.list"
    assert sync(hash_server, hash_server["url_token"], local) == 2
    assert "403" in capsys.readouterr().err
    assert sync(hash_server, "tt_bad_token", local) == 2
    assert "401" in capsys.readouterr().err
    assert not local.exists()


def test_export_for_hasher_matcher_actioner(hash_server, tmp_path: Path, capsys) -> None:
    local, bank = tmp_path / "hashes.list", tmp_path / "bank.txt"
    assert sync(hash_server, hash_server["token"], local) == 0
    pdqs = {line.split("\t")[2] for line in hash_server["hashed"].splitlines()}
    # The default is threatexchange's file format, which its file exchange and HMA load.
    assert main(["hashes", "export-hma", "--list", str(local), "--out", str(bank)]) == 0
    lines = bank.read_text().splitlines()
    assert len(lines) >= 2
    assert {line.removeprefix("pdq ") for line in lines} <= pdqs
    assert all(line.startswith("pdq ") for line in lines)
    assert (
        main(["hashes", "export-hma", "--list", str(local), "--out", str(bank), "--format", "api"])
        == 0
    )
    signals = [json.loads(line) for line in bank.read_text().splitlines()]
    assert all(list(item) == ["pdq"] for item in signals)
    assert {item["pdq"] for item in signals} <= pdqs
    assert "warning" not in capsys.readouterr().err  # every source here matches at 31


def test_export_warns_of_a_source_whose_threshold_a_bank_cannot_keep(
    tmp_path: Path, capsys
) -> None:
    local, bank = tmp_path / "hashes.list", tmp_path / "bank.txt"
    hash_list = HashList()
    entry = {"type": "pdq", "category": "A", "source": "Careful Partner", "threshold": 16}
    added = [entry | {"value": f"{n:064x}"} for n in (0xF0F0F0, 0x0F0F0F)]
    hash_list.apply({"version": 1, "added": added, "removed": []}, since=0)
    hash_list.save(local)
    assert main(["hashes", "export-hma", "--list", str(local), "--out", str(bank)]) == 0
    err = capsys.readouterr().err
    assert "2 PDQ hashes from Careful Partner match within distance 16" in err
    assert "at 31" in err


RESTORED_LIST = {
    "version": 2,
    "added": [{"type": "md5", "value": "1" * 32, "category": "A", "source": "Hotline"}],
    "removed": [],
}


class RestoredHotline(BaseHTTPRequestHandler):
    """A hotline whose database came back from a backup at hash list version 2: it cannot
    serve a delta to a later copy (409), only the whole list."""

    def do_GET(self) -> None:
        whole = parse_qs(urlsplit(self.path).query)["since"] == ["0"]
        status, answer = (200, RESTORED_LIST) if whole else (409, {"detail": "sync again"})
        body = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@contextmanager
def restored_hotline() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), RestoredHotline)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_409_makes_sync_start_again_from_the_whole_list(tmp_path: Path, capsys) -> None:
    local = tmp_path / "hashes.list"
    old = {"type": "md5", "value": "0" * 32, "category": "B", "source": "Hotline"}
    HashList.from_snapshot({"version": 7, "added": [old], "removed": []}).save(local)
    with restored_hotline() as server:
        sync_args = ["hashes", "sync", "--server", server, "--token", "tt_x", "--out", str(local)]
        assert main(sync_args) == 0
    captured = capsys.readouterr()
    assert captured.err == "turntide hashes sync: the server asks for the whole list again\n"
    assert captured.out == "version 2: 1 entries (+1 -0)\n"
    assert [entry.value for entry in HashList.load(local)] == ["1" * 32]
