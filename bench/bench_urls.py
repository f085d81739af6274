"""Speed of URL identity against named anchors, printed as ratios.

    uv run python bench/bench_urls.py [--count 100000] [--seed 3] [--repeat 3]

Every function gets the same 100,000 distinct URLs, generated from a fixed seed with the
variety reports bring: escapes, IDN, IPv4 in odd notations, IPv6, ports, user info, dot
segments, long queries and mixed case.  All host names are reserved (`.example`, `.test`,
`.invalid`, `example.com`) and all addresses documentation ranges.  The anchors:

- `url-normalize`, a pure-Python RFC 3986 normaliser (goal: Turntide at least 10x faster);
- `urllib.parse.urlsplit`, which only splits (goal: Turntide at most 2x its time).  It keeps an
  LRU cache of 128 entries, which distinct URLs always miss, as most real inputs would.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from url_normalize import url_normalize

from turntide.core.urls import canonicalize, expressions

WORDS = (
    *("news", "gallery", "photo", "video", "forum", "thread", "user", "profile", "image"),
    *("album", "share", "upload", "post", "board", "archive", "media", "static", "content"),
    *("page", "index", "view", "item", "topic", "watch", "embed", "files", "direct", "link"),
)
IDN_LABELS = ("bücher", "пример", "例え", "δοκιμή", "téléphone", "straße", "ÅNGSTRÖM", "مثال")
SUFFIXES = (".example", ".test", ".invalid", ".example.com", ".example.net", ".example.org")
ESCAPES = ("%20", "%2F", "%7E", "%2525", "%41", "%c3%a9", "%00", "%ZZ", "%", "%252F")


def _ipv4(rng: random.Random) -> str:
    """A documentation-range IPv4 address, in one of the notations browsers accept."""
    net = rng.choice(((192, 0, 2), (198, 51, 100), (203, 0, 113)))
    octets = (*net, rng.randrange(256))
    value = int.from_bytes(bytes(octets), "big")
    notation = rng.randrange(5)
    if notation == 0:
        return str(value)
    if notation == 1:
        return hex(value)
    if notation == 2:
        return ".".join(f"0{o:o}" for o in octets)
    if notation == 3:
        return f"{octets[0]}.{octets[1]}.{value & 0xFFFF}"
    return ".".join(map(str, octets))


def _host(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.08:
        return _ipv4(rng)
    if kind < 0.10:
        return f"[2001:db8:{rng.randrange(65536):x}::{rng.randrange(65536):04x}]"
    labels = [rng.choice(WORDS) + str(rng.randrange(1000)) for _ in range(rng.randrange(1, 4))]
    if kind < 0.18:
        labels[-1] = rng.choice(IDN_LABELS)
    if rng.random() < 0.4:
        labels.insert(0, "www")
    host = ".".join(labels) + rng.choice(SUFFIXES)
    if rng.random() < 0.3:
        host = "".join(c.upper() if rng.random() < 0.3 else c for c in host)
    if rng.random() < 0.03:
        host += "."
    return host


def _path(rng: random.Random) -> str:
    segments = []
    for _ in range(rng.randrange(7)):
        segment = rng.choice(WORDS)
        roll = rng.random()
        if roll < 0.15:
            segment += rng.choice(ESCAPES) + rng.choice(WORDS)
        elif roll < 0.2:
            segment = rng.choice((".", "..", ""))
        elif roll < 0.25:
            segment = rng.choice(IDN_LABELS)
        elif roll < 0.5:
            segment += str(rng.randrange(10**6))
        segments.append(segment)
    if rng.random() < 0.5:
        segments.append(
            f"{rng.choice(WORDS)}{rng.randrange(10**4)}.{rng.choice(('html', 'jpg', 'php'))}"
        )
    return "/" + "/".join(segments)


def _query(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.5:
        return ""
    count = rng.randrange(1, 4) if roll < 0.85 else rng.randrange(10, 30)
    pairs = (f"{rng.choice(WORDS)}={rng.randrange(10**9):x}" for _ in range(count))
    query = "?" + "&".join(pairs)
    return query + rng.choice(ESCAPES) if rng.random() < 0.1 else query


EXPRESSIONS = "turntide expressions + SHA-256"


def generate_urls(count: int, seed: int) -> list[str]:
    """`count` distinct URLs, the same ones for the same seed."""
    rng = random.Random(seed)
    urls: dict[str, None] = {}
    while len(urls) < count:
        scheme = rng.choice(("http://", "https://", "", "HTTP://", "https://"))
        userinfo = "user:secret@" if scheme and rng.random() < 0.03 else ""
        port = f":{rng.choice((80, 443, 8080))}" if rng.random() < 0.05 else ""
        fragment = f"#{rng.choice(WORDS)}" if rng.random() < 0.1 else ""
        url = scheme + userinfo + _host(rng) + port + _path(rng) + _query(rng) + fragment
        urls[url] = None
    return list(urls)


def _expressions_and_hashes(url: str) -> list[bytes]:
    return [hashlib.sha256(e.encode("ascii")).digest() for e in expressions(url)]


def _best_seconds(
    functions: dict[str, Callable[[str], object]], urls: list[str], repeat: int
) -> dict[str, float]:
    """Best wall time of each function over all URLs; rounds interleave the functions so that
    a machine that slows down or speeds up during the run does not favour one of them."""
    best = dict.fromkeys(functions, float("inf"))
    for _ in range(repeat):
        for name, function in functions.items():
            start = time.perf_counter()
            for url in urls:
                function(url)
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    urls = generate_urls(args.count, args.seed)

    def share(test: Callable[[str], bool]) -> str:
        return f"{sum(map(test, urls)) / len(urls):.0%}"

    functions: dict[str, Callable[[str], object]] = {
        "turntide canonicalize": canonicalize,
        "url-normalize": url_normalize,
        "urllib.parse.urlsplit": urlsplit,
        EXPRESSIONS: _expressions_and_hashes,
    }
    timings = _best_seconds(functions, urls, args.repeat)
    print(
        f"{len(urls)} distinct URLs (seed {args.seed}; escapes {share(lambda u: '%' in u)},"
        f" non-ASCII {share(lambda u: not u.isascii())}, query {share(lambda u: '?' in u)}),"
        f" best of {args.repeat} interleaved rounds"
    )
    for name, seconds in timings.items():
        print(f"  {name:32} {seconds * 1e6 / len(urls):6.2f} us/URL")
    ours = timings["turntide canonicalize"]
    ratios = [
        ("url-normalize / turntide canonicalize", timings["url-normalize"] / ours, "goal >= 10"),
        ("turntide canonicalize / urlsplit", ours / timings["urllib.parse.urlsplit"], "goal <= 2"),
        ("expressions + SHA-256 / canonicalize", timings[EXPRESSIONS] / ours, ""),
    ]
    for name, ratio, goal in ratios:
        print(f"{name:40} {ratio:5.2f}x {goal}")


if __name__ == "__main__":
    main()
