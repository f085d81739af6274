"""Size and speed of the member-side URL list against a naive set of canonical URLs.

    uv run python bench/bench_urllist.py [--entries 1000000] [--checks 200000] [--seed 5]

A list of `--entries` hashed lookup expressions is generated from a fixed seed, like the one
the hotline serves: pages (94%), folders (3%) and whole hosts (3%) on reserved names only
(`.example`, `.test`, `example.com`, `example.net`, `example.org`).  It is loaded from the
snapshot answer and from a saved file, then checked against `--checks` URLs: listed pages
spelt another way (other scheme, upper-case host, port, fragment), pages in listed folders
and on listed hosts or their subdomains, unlisted pages, and a few invalid inputs.  The
anchor is the naive checker: a Python set of the listed URLs' canonical forms, asked
`canonicalize(url) in urls`, which finds only exact pages.  Both are loaded, sized and timed
in a fresh interpreter that holds only them and the URLs, as a member's checker would; the
floor, computing and hashing the expressions with no lookup, is timed beside them.  Goals for
a million entries, on one core: `URLList.load` under a second, under 100 MB held, and at
least 50,000 checks a second.  Then `--hard` URLs of bench_urls.py's mix (escapes, IDN, odd
IPv4) are checked too, for information.  Ratios are printed; nothing is asserted but the
answers.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import random
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from bench_urls import generate_urls
from turntide.core.urllist import URLList
from turntide.core.urls import InvalidURL, canonicalize, expressions

WORDS = (
    *("news", "gallery", "photo", "video", "forum", "thread", "user", "profile", "image"),
    *("album", "share", "upload", "post", "board", "archive", "media", "static", "content"),
)
SUFFIXES = (".example", ".test", ".example.com", ".example.net", ".example.org")
PAGES_PER_HOST = 10
MB = 1_000_000


def _host(rng: random.Random, number: int, kind: str) -> str:
    """A host name unique to `number`; `kind` keeps listed and unlisted hosts apart."""
    return f"{rng.choice(WORDS)}{number}.{kind}{rng.randrange(100)}{rng.choice(SUFFIXES)}"


def _path(rng: random.Random, number: int, name: str = "photo") -> str:
    folders = "".join(f"/{rng.choice(WORDS)}{rng.randrange(100)}" for _ in range(rng.randrange(3)))
    query = f"?id={rng.randrange(10**6)}" if rng.random() < 0.3 else ""
    return f"{folders}/{name}{number}.{rng.choice(('jpg', 'html', 'php'))}{query}"


class Listed:
    """The generated list: expressions, and the URLs the naive set holds for them."""

    def __init__(self, entries: int, seed: int) -> None:
        rng = random.Random(seed)
        self.pages: list[tuple[str, str]] = []  # (scheme, expression)
        self.folders: list[str] = []  # "host/folder/"
        self.hosts: list[str] = []  # "host/"
        host = ""
        while len(self.pages) + len(self.folders) + len(self.hosts) < entries:
            number = len(self.pages) + len(self.folders) + len(self.hosts)
            roll = rng.random()
            if roll < 0.03:
                self.hosts.append(_host(rng, number, "whole") + "/")
            elif roll < 0.06:
                folder = f"{rng.choice(WORDS)}{number}"
                self.folders.append(f"{_host(rng, number, 'folder')}/{folder}/")
            else:
                if number % PAGES_PER_HOST == 0 or not host:
                    host = _host(rng, number, "pages")
                scheme = rng.choice(("http", "https"))
                self.pages.append((scheme, host + _path(rng, number)))

    def expressions(self) -> list[str]:
        return [e for _, e in self.pages] + self.folders + self.hosts

    def canonical_urls(self) -> list[str]:
        return [f"{s}://{e}" for s, e in self.pages] + [
            f"http://{e}" for e in self.folders + self.hosts
        ]


def _respell(rng: random.Random, scheme: str, expression: str) -> str:
    """Another spelling of the same address: scheme, case, port, fragment."""
    host, _, rest = expression.partition("/")
    if rng.random() < 0.5:
        host = "".join(c.upper() if rng.random() < 0.3 else c for c in host)
    if rng.random() < 0.2:
        host += ":443" if scheme == "https" else ":8080"
    if rng.random() < 0.3:
        scheme = "http" if scheme == "https" else "https"
    fragment = "#top" if rng.random() < 0.1 else ""
    return f"{rng.choice((scheme, scheme.upper(), scheme))}://{host}/{rest}{fragment}"


def make_checks(listed: Listed, count: int, seed: int) -> tuple[list[str], list[bool]]:
    """`count` URLs to check and whether each is on the list, known by construction."""
    rng = random.Random(seed + 1)
    urls: list[str] = []
    truth: list[bool] = []
    for number in range(count):
        roll = rng.random()
        if roll < 0.10 and listed.pages:
            urls.append(_respell(rng, *rng.choice(listed.pages)))
        elif roll < 0.13 and listed.folders:
            urls.append(f"https://{rng.choice(listed.folders)}sub/{number}.jpg")
        elif roll < 0.15 and listed.hosts:
            host = rng.choice(listed.hosts)
            urls.append(f"http://{rng.choice(('www.', 'cdn.', ''))}{host}{_path(rng, number)}")
        elif roll < 0.40 and listed.pages:  # another page on a host with listed pages
            host = rng.choice(listed.pages)[1].partition("/")[0]
            urls.append(f"https://{host}{_path(rng, number, 'other')}")
            truth.append(False)
            continue
        elif roll < 0.41:
            urls.append(rng.choice(("javascript:void(0)", "", "mailto:a@example.com")))
            truth.append(False)
            continue
        else:
            urls.append(f"https://{_host(rng, number, 'clear')}{_path(rng, number)}")
            truth.append(False)
            continue
        truth.append(True)
    return urls, truth


def _naive_check(urls: set[str]) -> Callable[[str], bool]:
    def check(url: str) -> bool:
        try:
            return canonicalize(url) in urls
        except InvalidURL:
            return False

    return check


def _best[T](function: Callable[[], T], repeat: int) -> tuple[float, T]:
    """Best wall time of `repeat` calls, and the last call's result."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def _timed(check: Callable[[list[str]], list[bool]], urls: list[str]) -> tuple[float, list[bool]]:
    start = time.perf_counter()
    answers = check(urls)
    return time.perf_counter() - start, answers


Checker = Callable[[list[str]], list[bool]]


def _hashing_only(urls: list[str]) -> list[bool]:
    """The work any checker of a hashed list must do, without a lookup: the floor."""
    for url in urls:
        try:
            for expression in expressions(url):
                hashlib.sha256(expression.encode()).digest()
        except InvalidURL:
            pass
    return []


def _check_seconds(
    checkers: dict[str, Checker], urls: list[str], repeat: int
) -> dict[str, tuple[float, list[bool]]]:
    """Seconds each checker takes over `urls`, and its answers.

    The URLs go in blocks of 10,000, each timed `repeat` times in turn with every checker and
    counted at its best: a shared virtual machine slows down for a few seconds at a time, and
    this keeps such spells out of the figures of all of them.
    """
    seconds = dict.fromkeys(checkers, 0.0)
    answers: dict[str, list[bool]] = {name: [] for name in checkers}
    for start in range(0, len(urls), 10_000):
        block = urls[start : start + 10_000]
        best = dict.fromkeys(checkers, float("inf"))
        block_answers: dict[str, list[bool]] = {}
        for _ in range(repeat):
            for name, check in checkers.items():
                taken, block_answers[name] = _timed(check, block)
                best[name] = min(best[name], taken)
        for name in checkers:
            seconds[name] += best[name]
            answers[name] += block_answers[name]
    return {name: (seconds[name], answers[name]) for name in checkers}


def _held[T](function: Callable[[], T]) -> tuple[int, int, T]:
    """Bytes still allocated after `function` returns (its result kept), and the peak."""
    gc.collect()
    tracemalloc.start()
    result = function()
    held, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return held, peak, result


def _verdict(met: bool) -> str:
    return "met" if met else "NOT MET"


def _snapshot_answer(listed_expressions: list[str]) -> str:
    """The JSON text of /api/v1/lists/urls with the whole list, in the server's order."""
    added = [{"sha256": hashlib.sha256(e.encode()).hexdigest()} for e in listed_expressions]
    return json.dumps({"version": 1, "psl_version": "none", "added": added, "removed": []})


def _from_answer(text: str) -> tuple[float, float, URLList]:
    """Seconds to parse the snapshot answer, then to build the list from it; the list."""
    json_seconds, parsed = _best(lambda: json.loads(text), 1)
    snapshot_seconds, url_list = _best(lambda: URLList.from_snapshot(parsed), 1)
    return json_seconds, snapshot_seconds, url_list


def _delta_seconds(url_list: URLList) -> float:
    """Seconds to apply a delta of 1,000 new entries; the list is put back afterwards."""
    entries = [
        {"sha256": hashlib.sha256(f"new{n}.example/".encode()).hexdigest()} for n in range(1000)
    ]
    version = url_list.version
    add = {"version": version + 1, "psl_version": "none", "added": entries, "removed": []}
    seconds, _ = _best(lambda: url_list.apply(add, since=version), 1)
    undo = {"version": version + 2, "psl_version": "none", "added": [], "removed": entries}
    url_list.apply(undo, since=version + 1)
    return seconds


def _prepare(args: argparse.Namespace, directory: Path) -> None:
    """Generate the list and the URLs to check; write what each checker loads, and the URLs."""
    started = time.perf_counter()
    listed = Listed(args.entries, args.seed)
    listed_expressions, canonical = listed.expressions(), listed.canonical_urls()
    for url, expression in zip(canonical[::997], listed_expressions[::997], strict=True):
        assert canonicalize(url) == url, url
        assert expressions(url)[0] == expression, url
    checks, truth = make_checks(listed, args.checks, args.seed)
    print(
        f"{len(listed_expressions):,} entries ({len(listed.pages):,} pages, "
        f"{len(listed.folders):,} folders, {len(listed.hosts):,} hosts), {len(checks):,} checks "
        f"({sum(truth) / len(truth):.0%} listed), seed {args.seed}; "
        f"generated in {time.perf_counter() - started:.1f} s"
    )
    json_seconds, snapshot_seconds, url_list = _from_answer(_snapshot_answer(listed_expressions))
    print(
        f"from_snapshot {snapshot_seconds:.2f} s (json.loads of the answer before it:"
        f" {json_seconds:.2f} s)"
    )
    url_list.save(directory / "urls.list")
    (directory / "urls.txt").write_text("\n".join(canonical) + "\n")
    (directory / "checks.json").write_text(json.dumps({"urls": checks, "truth": truth}))


def _measure(args: argparse.Namespace, directory: Path) -> None:
    """Load, size and time both checkers in a process that holds only what they would."""
    list_file, text_file = directory / "urls.list", directory / "urls.txt"
    work = json.loads((directory / "checks.json").read_text())
    checks: list[str] = work["urls"]
    truth: list[bool] = work["truth"]
    del work
    gc.collect()
    load_seconds, _ = _best(lambda: URLList.load(list_file), args.repeat)
    naive_load_seconds, _ = _best(lambda: set(text_file.read_text().splitlines()), args.repeat)
    held, peak, url_list = _held(lambda: URLList.load(list_file))
    naive_held, naive_peak, naive = _held(lambda: set(text_file.read_text().splitlines()))
    file_size, text_size = list_file.stat().st_size, text_file.stat().st_size
    delta_seconds = _delta_seconds(url_list)

    naive_check = _naive_check(naive)
    checkers: dict[str, Checker] = {
        "URLList": url_list.check_many,
        "naive set": lambda urls: list(map(naive_check, urls)),
        "floor": _hashing_only,
    }
    results = _check_seconds(checkers, checks, args.repeat)
    (ours, ours_answers), (theirs, naive_answers) = results["URLList"], results["naive set"]
    assert ours_answers == truth, "URLList disagrees with the list it was built from"
    single_seconds, _ = _best(lambda: [url_list.check(u) for u in checks], 1)
    rate, naive_rate = len(checks) / ours, len(checks) / theirs

    print(f"\n{'':30} {'URLList':>10} {'naive set':>12} {'ratio':>8}")
    rows = [
        ("load from file, s", load_seconds, naive_load_seconds),
        ("memory held, MB", held / MB, naive_held / MB),
        ("memory peak while loading, MB", peak / MB, naive_peak / MB),
        ("file size, MB", file_size / MB, text_size / MB),
        ("checks per second", rate, naive_rate),
    ]
    for name, value, anchor in rows:
        print(f"{name:30} {value:10,.2f} {anchor:12,.2f} {value / anchor:7.2f}x")
    print(
        f"{'listed URLs found':30} {sum(ours_answers):10,} {sum(naive_answers):12,}"
        f"   of {sum(truth):,}"
    )
    floor = len(checks) / results["floor"][0]
    print(
        f"\nexpressions + SHA-256 alone, no lookup: {floor:,.0f} per second;"
        f" URLList's lookups take {1 - rate / floor:.0%} of its time"
    )
    print(f"URLList.check, one call per URL: {len(checks) / single_seconds:,.0f} per second")
    print(f"URLList.nbytes {url_list.nbytes / MB:.1f} MB")
    print(f"apply a delta of 1,000 entries: {delta_seconds * 1000:.0f} ms")
    if args.hard:
        hard = generate_urls(args.hard, 3)
        del checkers["floor"]
        hard_results = _check_seconds(checkers, hard, args.repeat)
        print(
            f"bench_urls.py mix ({len(hard):,} URLs): URLList"
            f" {len(hard) / hard_results['URLList'][0]:,.0f} per second, naive set"
            f" {len(hard) / hard_results['naive set'][0]:,.0f} per second"
        )

    scale = f" (set for 1,000,000 entries; this run has {len(url_list):,})"
    print("\nGoals" + ("" if len(url_list) == 1_000_000 else scale))
    print(f"  load under 1 s:          {load_seconds:.2f} s, {_verdict(load_seconds < 1)}")
    print(f"  memory under 100 MB:     {held / MB:.1f} MB held, {_verdict(held < 100 * MB)}")
    print(f"  >= 50,000 checks/second: {rate:,.0f}, {_verdict(rate >= 50_000)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--checks", type=int, default=200_000)
    parser.add_argument("--hard", type=int, default=20_000, help="bench_urls.py mix; 0: none")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--measure", metavar="DIRECTORY", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        _measure(args, Path(args.measure))
        return
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as directory:
        _prepare(args, Path(directory))
        # A fresh interpreter, like a member's `turntide list check`: the generator's millions
        # of objects would otherwise slow every allocation that the checks make.
        command = [sys.executable, __file__, "--measure", directory, *sys.argv[1:]]
        subprocess.run(command, check=True)
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
