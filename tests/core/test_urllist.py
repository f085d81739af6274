"""The member-side URL list: matching by lookup expressions, deltas, and the saved file.

Every host name is a reserved one (`.example`, `.test`, `example.com`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import struct
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from turntide.core.urllist import FILE_FORMAT, FILE_MAGIC, URLList, URLListError, VersionMismatch
from turntide.core.urls import expressions


def sha(expression: str) -> str:
    return hashlib.sha256(expression.encode()).hexdigest()


def delta(
    version: int, added: tuple[str, ...] = (), removed: tuple[str, ...] = ()
) -> dict[str, Any]:
    """An answer of /api/v1/lists/urls naming the entries by their expressions."""
    return {
        "version": version,
        "psl_version": "none",
        "added": [{"sha256": sha(e)} for e in added],
        "removed": [{"sha256": sha(e)} for e in removed],
    }


def listing(*listed: str, version: int = 1) -> URLList:
    return URLList.from_snapshot(delta(version, listed))


def test_a_new_list_is_empty_at_version_zero() -> None:
    url_list = URLList()
    assert (url_list.version, url_list.psl_version, len(url_list)) == (0, "", 0)
    assert not url_list.check("http://example.com/")
    assert url_list.check_many(["http://example.com/", "example.test"]) == [False, False]
    assert url_list.match("http://example.com/") is None
    assert list(url_list) == []


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/a/b.html",
        "HTTPS://EXAMPLE.com:8443/a/./b.html#top",
        "example.com/a/%62.html",
        "http://user@example.com./a//b.html",
        # The path without its query is an expression too, as Safe Browsing has it.
        "http://example.com/a/b.html?page=2",
    ],
)
def test_it_matches_a_listed_page_however_it_is_written(url: str) -> None:
    assert listing("example.com/a/b.html").check(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/a/b.htm",
        "http://example.com/a/",
        "http://example.com/a/b.html/more",
        "http://www.example.org/a/b.html",
    ],
)
def test_it_does_not_match_other_pages(url: str) -> None:
    assert not listing("example.com/a/b.html").check(url)


def test_a_page_with_a_query_is_listed_with_that_query_only() -> None:
    url_list = listing("example.com/view?id=1")
    assert url_list.check("https://example.com/view?id=1")
    assert not url_list.check("https://example.com/view?id=2")
    assert not url_list.check("https://example.com/view")


@pytest.mark.parametrize(
    ("url", "listed"),
    [
        ("http://example.test/", True),
        ("https://example.test/deep/a/b/c/d.html?q=1", True),
        ("http://www.example.test/x", True),
        ("http://a.b.c.example.test/", True),
        ("http://notexample.test/", False),
        ("http://example.test.example/", False),
        ("http://example.org/example.test/", False),
    ],
)
def test_a_host_entry_blocks_every_page_of_the_host_and_its_subdomains(
    url: str, listed: bool
) -> None:
    assert listing("example.test/").check(url) is listed


@pytest.mark.parametrize(
    ("url", "listed"),
    [
        ("http://a.example.test/dir/", True),
        ("http://a.example.test/dir/x.jpg", True),
        ("http://a.example.test/dir/sub/x.jpg?size=2", True),
        ("http://cdn.a.example.test/dir/x.jpg", True),
        ("http://a.example.test/other", False),
        ("http://a.example.test/dir", False),
        ("http://a.example.test/directory/x.jpg", False),
        ("http://a.example.test/", False),
        ("http://b.example.test/dir/x.jpg", False),
        ("http://example.test/dir/x.jpg", False),
    ],
)
def test_a_folder_entry_blocks_the_pages_below_it_only(url: str, listed: bool) -> None:
    assert listing("a.example.test/dir/").check(url) is listed


@pytest.mark.parametrize(
    "url", ["", "   ", "javascript:alert(1)", "http://", "ftp://example.com/", "x" * 9000]
)
def test_invalid_input_is_never_on_the_list(url: str) -> None:
    url_list = listing("example.com/", "x/")
    assert url_list.check(url) is False
    assert url_list.match(url) is None
    assert url_list.check_many([url, "example.com"]) == [False, True]


def test_input_that_is_not_text_is_never_on_the_list() -> None:
    url_list = listing("example.com/")
    for thing in (None, 42, b"http://example.com/"):
        assert url_list.check(thing) is False  # type: ignore[arg-type]
    assert url_list.check_many([None, "example.com"]) == [False, True]  # type: ignore[list-item]


def test_match_names_the_entry_of_the_most_specific_expression() -> None:
    url_list = listing("example.test/", "example.test/a/b.html")
    assert url_list.match("http://example.test/a/b.html") == sha("example.test/a/b.html")
    assert url_list.match("http://www.example.test/a/b.html") == sha("example.test/a/b.html")
    assert url_list.match("http://example.test/a/c.html") == sha("example.test/")
    assert url_list.match("http://example.com/a/b.html") is None


def test_check_many_agrees_with_check() -> None:
    url_list = listing("example.test/", "a.example.com/dir/", "example.org/page.html")
    urls = [
        "http://example.test/x",
        "http://a.example.com/dir/1.jpg",
        "http://a.example.com/1.jpg",
        "https://EXAMPLE.org/page.html#f",
        "https://example.org/other.html",
        "javascript:void(0)",
        "",
    ]
    assert url_list.check_many(urls) == [url_list.check(u) for u in urls]
    assert url_list.check_many(iter(urls)) == [True, True, False, True, False, False, False]


def test_a_delta_adds_and_removes_entries_and_sets_the_version() -> None:
    url_list = listing("example.test/", "example.com/a.html", version=7)
    url_list.apply(delta(9, added=("example.org/",), removed=("example.test/",)), since=7)
    assert url_list.version == 9
    assert len(url_list) == 2
    assert not url_list.check("http://example.test/")
    assert url_list.check("http://example.org/anything")
    assert url_list.check("http://example.com/a.html")


def test_removing_an_absent_entry_or_adding_a_present_one_changes_nothing() -> None:
    url_list = listing("example.test/", "example.com/a.html")
    before = list(url_list)
    url_list.apply(delta(2, added=("example.test/",), removed=("example.org/",)), since=1)
    url_list.apply(delta(3, added=("example.test/",), removed=("example.org/",)), since=2)
    assert list(url_list) == before
    assert url_list.version == 3


def test_an_entry_both_removed_and_added_stays() -> None:
    url_list = listing("example.test/")
    url_list.apply(delta(2, added=("example.test/",), removed=("example.test/",)), since=1)
    url_list.apply(delta(3, added=("example.org/",), removed=("example.org/",)), since=2)
    assert set(url_list) == {sha("example.test/"), sha("example.org/")}


def test_an_empty_delta_moves_only_the_version() -> None:
    url_list = listing("example.test/", version=4)
    url_list.apply({"version": 4, "psl_version": "2026-01", "added": [], "removed": []}, since=4)
    assert (url_list.version, url_list.psl_version, len(url_list)) == (4, "2026-01", 1)


def test_a_delta_fetched_for_another_version_is_refused_and_changes_nothing() -> None:
    url_list = listing("example.test/", version=5)
    with pytest.raises(VersionMismatch, match=r"since=4 .* at version 5; fetch \?since=5") as error:
        url_list.apply(delta(6, removed=("example.test/",)), since=4)
    assert (error.value.since, error.value.version) == (4, 5)
    assert isinstance(error.value, URLListError)
    assert isinstance(error.value, ValueError)
    assert (url_list.version, list(url_list)) == (5, [sha("example.test/")])


def test_a_snapshot_applies_only_to_a_new_list() -> None:
    url_list = listing("example.test/", version=5)
    with pytest.raises(VersionMismatch):
        url_list.apply(delta(6, added=("example.org/",)), since=0)


def test_a_delta_naming_another_since_than_asked_is_refused() -> None:
    url_list = listing("example.test/", version=5)
    with pytest.raises(URLListError, match="since=3, not since=5"):
        url_list.apply({**delta(6), "since": 3}, since=5)
    url_list.apply({**delta(6), "since": 5}, since=5)
    assert url_list.version == 6


def test_a_delta_that_takes_the_version_back_is_refused() -> None:
    url_list = listing("example.test/", version=5)
    with pytest.raises(URLListError, match="back from version 5 to 4"):
        url_list.apply(delta(4), since=5)
    assert url_list.version == 5


GOOD = {"sha256": sha("example.test/")}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"version": None}, '"version" must be a whole number'),
        ({"version": True}, '"version" must be a whole number'),
        ({"version": -1}, '"version" must be a whole number'),
        ({"version": "7"}, '"version" must be a whole number'),
        ({"psl_version": None}, 'no "psl_version"'),
        ({"added": None}, 'no "added" list'),
        ({"removed": "abc"}, 'no "removed" list'),
        ({"added": [GOOD, {}]}, 'entry 1 of "added" has no "sha256"'),
        ({"added": ["example.test/"]}, 'entry 0 of "added"'),
        ({"added": [{"sha256": 7}]}, 'entry 0 of "added"'),
        ({"added": [{"sha256": "ab" * 31}]}, 'entry 0 of "added"'),
        ({"added": [{"sha256": "ab" * 33}]}, 'entry 0 of "added"'),
        ({"removed": [GOOD, {"sha256": "g" * 64}]}, 'entry 1 of "removed"'),
        ({"added": [{"sha256": "ab" * 31 + " a"}]}, 'entry 0 of "added"'),
        ({"added": [{"sha256": "\u0661" * 64}]}, 'entry 0 of "added"'),
    ],
)
def test_a_malformed_delta_is_refused_with_a_clear_message(
    change: dict[str, Any], message: str
) -> None:
    url_list = listing("example.org/", version=1)
    with pytest.raises(URLListError, match=message):
        url_list.apply({**delta(2), **change}, since=1)
    assert (url_list.version, list(url_list)) == (1, [sha("example.org/")])


def test_a_delta_must_be_a_mapping() -> None:
    with pytest.raises(URLListError, match="JSON object"):
        URLList().apply([], since=0)  # type: ignore[arg-type]


def test_upper_case_hexadecimal_and_plain_expressions_are_accepted() -> None:
    snapshot = {
        "version": 1,
        "psl_version": "none",
        "added": [
            {"sha256": sha("example.test/").upper()},
            {"sha256": sha("example.com/a/"), "expression": "example.com/a/"},
        ],
        "removed": [],
    }
    url_list = URLList.from_snapshot(snapshot)
    assert set(url_list) == {sha("example.test/"), sha("example.com/a/")}
    assert url_list.check("http://example.test/")
    assert url_list.check("http://example.com/a/b")


def test_a_snapshot_from_json_text_works() -> None:
    text = json.dumps(delta(3, ("example.test/",)))
    assert URLList.from_snapshot(json.loads(text)).check("https://www.example.test/")


def test_membership_takes_hexadecimal_or_bytes() -> None:
    url_list = listing("example.test/")
    digest = hashlib.sha256(b"example.test/").digest()
    assert sha("example.test/") in url_list
    assert sha("example.test/").upper() in url_list
    assert digest in url_list
    for other in (sha("example.org/"), digest[:31], "zz" * 32, "ab", 42, None):
        assert other not in url_list


def test_it_describes_itself() -> None:
    url_list = listing("example.test/", "example.org/", version=12)
    assert repr(url_list) == "<URLList version=12 entries=2 psl_version='none'>"
    assert url_list.nbytes >= 2 * 32


def _prefix_twins() -> list[str]:
    """Hashes that share their first eight bytes (and so a slot of the marks): no SHA-256 of
    an expression does that in practice, but the structure must not care."""
    base = sha("example.test/")
    return sorted({base[:16] + sha(str(n))[16:] for n in range(5)} | {base})


def test_entries_sharing_a_prefix_are_found_added_and_removed() -> None:
    twins = _prefix_twins()
    url_list = URLList.from_snapshot(
        {"version": 1, "psl_version": "", "added": [{"sha256": h} for h in twins], "removed": []}
    )
    assert list(url_list) == twins
    assert all(h in url_list for h in twins)
    assert url_list.check("http://example.test/")
    removed = [{"sha256": h} for h in twins if h != sha("example.test/")]
    url_list.apply({"version": 2, "psl_version": "", "added": [], "removed": removed}, since=1)
    assert list(url_list) == [sha("example.test/")]
    assert url_list.check("http://www.example.test/")


def test_it_saves_and_loads_a_round_trip(tmp_path: Path) -> None:
    url_list = listing("example.test/", "a.example.com/dir/", "example.org/p.html", version=41)
    url_list.apply({**delta(42), "psl_version": "2026-03-01 ünïcode"}, since=41)
    path = tmp_path / "urls.list"
    url_list.save(path)
    loaded = URLList.load(path)
    assert (loaded.version, loaded.psl_version) == (42, "2026-03-01 ünïcode")
    assert list(loaded) == list(url_list)
    urls = ["http://www.example.test/", "http://a.example.com/dir/x", "http://example.org/"]
    assert loaded.check_many(urls) == [True, True, False]
    data = path.read_bytes()
    psl = "2026-03-01 ünïcode".encode()
    assert data[:8] == FILE_MAGIC
    assert struct.unpack(">HHQQ", data[8:28]) == (FILE_FORMAT, len(psl), 42, 3)
    assert data[28 : 28 + len(psl)] == psl
    assert data[28 + len(psl)] == 0  # flags: not keyed
    assert data[-32:] == hashlib.sha256(data[:-32]).digest()
    assert len(data) == 28 + len(psl) + 1 + 3 * 32 + 32
    assert data[28 + len(psl) + 1 : -32].hex() == "".join(sorted(url_list))


def test_it_still_reads_format_1_files(tmp_path: Path) -> None:
    """Format 1 (before keyed lists) had no flags byte; such files load as unkeyed lists."""
    entries = bytes.fromhex(sha("example.test/"))
    header = FILE_MAGIC + struct.pack(">HHQQ", 1, 0, 7, 1)
    body = header + entries
    (tmp_path / "old").write_bytes(body + hashlib.sha256(body).digest())
    loaded = URLList.load(tmp_path / "old")
    assert (loaded.version, loaded.keyed) == (7, False)
    assert loaded.check("http://example.test/x")


def keyed_entry(key: bytes, expression: str) -> dict[str, str]:
    return {"sha256": hmac.new(key, expression.encode(), hashlib.sha256).hexdigest()}


def test_a_keyed_list_matches_only_with_its_key_and_remembers_it_is_keyed(
    tmp_path: Path,
) -> None:
    key = b"member-list-key"
    snapshot = {
        "version": 2,
        "psl_version": "none",
        "keyed": True,
        "added": [keyed_entry(key, "example.test/")],
        "removed": [],
    }
    url_list = URLList.from_snapshot(snapshot)
    with pytest.raises(URLListError, match="keyed"):
        url_list.check("http://example.test/")
    url_list.use_key(key)
    assert url_list.check("http://www.example.test/a")
    assert url_list.check_many(["example.test"])
    url_list.use_key(b"another member's key")
    assert not url_list.check("http://example.test/")
    url_list.save(tmp_path / "keyed")
    loaded = URLList.load(tmp_path / "keyed")
    assert loaded.keyed
    with pytest.raises(URLListError, match="keyed"):
        loaded.check_many(["http://example.test/"])
    loaded.use_key(key)
    assert loaded.match("http://example.test/") == keyed_entry(key, "example.test/")["sha256"]


def test_a_delta_that_switches_keying_asks_for_the_whole_list() -> None:
    url_list = listing("example.test/", version=3)
    switched = {**delta(4), "keyed": True}
    with pytest.raises(URLListError, match="since=0"):
        url_list.apply(switched, since=3)
    assert not url_list.keyed
    assert url_list.version == 3


def test_an_empty_list_round_trips(tmp_path: Path) -> None:
    URLList().save(tmp_path / "empty")
    loaded = URLList.load(tmp_path / "empty")
    assert (loaded.version, loaded.psl_version, len(loaded)) == (0, "", 0)


def test_a_loaded_list_takes_deltas(tmp_path: Path) -> None:
    listing("example.test/", version=3).save(tmp_path / "urls")
    loaded = URLList.load(tmp_path / "urls")
    loaded.apply(delta(4, added=("example.org/",), removed=("example.test/",)), since=3)
    assert loaded.check("http://example.org/")
    assert not loaded.check("http://example.test/")


def test_saving_replaces_the_file_whole_and_leaves_nothing_behind(tmp_path: Path) -> None:
    path = tmp_path / "urls"
    path.write_bytes(b"an older copy, much longer than the new one " * 100)
    listing("example.test/").save(path)
    assert URLList.load(path).check("http://example.test/")
    assert [p.name for p in tmp_path.iterdir()] == ["urls"]


def test_saving_into_a_missing_folder_fails_and_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        listing("example.test/").save(tmp_path / "missing" / "urls")
    assert list(tmp_path.iterdir()) == []


def _saved(tmp_path: Path, hashes: list[str]) -> bytes:
    url_list = URLList.from_snapshot(
        {"version": 1, "psl_version": "", "added": [{"sha256": h} for h in hashes], "removed": []}
    )
    url_list.save(tmp_path / "urls")
    return (tmp_path / "urls").read_bytes()


def _with_checksum(body: bytes) -> bytes:
    return body + hashlib.sha256(body).digest()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda d: b"", "not a Turntide URL list"),
        (lambda d: b"PK\x03\x04" + d[4:], "not a Turntide URL list"),
        (lambda d: d[:-1], "damaged or cut short"),
        (lambda d: d[:40], "damaged or cut short"),
        (lambda d: d + b"\x00", "damaged or cut short"),
        (lambda d: d[:30] + bytes([d[30] ^ 1]) + d[31:], "damaged or cut short"),
        (lambda d: d[:20] + (2**60).to_bytes(8, "big") + d[28:], "damaged or cut short"),
        (lambda d: _with_checksum(d[:8] + b"\x00\x03" + d[10:-32]), "format 3"),
        # 28 bytes of header, one of flags, then the hashes.
        (lambda d: _with_checksum(d[:29] + d[61:93] + d[29:61]), "out of order or repeated"),
        (lambda d: _with_checksum(d[:29] + d[29:61] + d[29:61]), "out of order or repeated"),
    ],
)
def test_load_refuses_a_file_that_is_not_a_list_or_is_damaged(
    tmp_path: Path, damage: Any, message: str
) -> None:
    data = _saved(tmp_path, [sha("example.test/"), sha("example.org/")])
    (tmp_path / "bad").write_bytes(damage(data))
    with pytest.raises(URLListError, match=message):
        URLList.load(tmp_path / "bad")


def test_load_accepts_entries_that_share_a_prefix(tmp_path: Path) -> None:
    _saved(tmp_path, _prefix_twins())
    assert list(URLList.load(tmp_path / "urls")) == _prefix_twins()


def test_a_psl_version_too_long_for_the_file_is_refused(tmp_path: Path) -> None:
    url_list = URLList()
    url_list.apply({**delta(1), "psl_version": "x" * 70_000}, since=0)
    with pytest.raises(URLListError, match="psl_version is too long"):
        url_list.save(tmp_path / "urls")


def test_splicing_a_few_changes_gives_the_list_a_rebuild_gives() -> None:
    """Small deltas are spliced into the block, large ones sorted anew: same result."""
    pages = [f"h{n % 97}.example/p/{n}.html" for n in range(2000)]
    spliced = listing(*pages)
    changes = delta(2, added=("new.example/", "h1.example/p/"), removed=(pages[5], pages[1999]))
    spliced.apply(changes, since=1)
    wanted = {*pages, "new.example/", "h1.example/p/"} - {pages[5], pages[1999]}
    assert list(spliced) == sorted(map(sha, wanted))
    assert list(spliced) == list(listing(*wanted))


# Property: a server's history of random deltas, replayed by members in every order.

HOSTS = ["example.test", "a.example.test", "example.com"]
UNIVERSE = [
    host + path for host in HOSTS for path in ("/", "/dir/", "/dir/1.jpg", "/page.html?id=1")
]
PROBES = [
    f"http://{host}{path}"
    for host in [*HOSTS, "www.a.example.test"]
    for path in ("/", "/dir/1.jpg", "/dir/sub/2.jpg", "/page.html?id=1", "/page.html", "/x")
]
CHANGES = st.tuples(
    st.sets(st.sampled_from(UNIVERSE), max_size=5), st.sets(st.sampled_from(UNIVERSE), max_size=5)
)
FILLER = st.sets(st.binary(min_size=32, max_size=32).map(bytes.hex), max_size=120)


def _answer(version: int, added: set[str], removed: set[str]) -> dict[str, Any]:
    """What the server answers: hashes only, in any order."""
    return {
        "version": version,
        "psl_version": "none",
        "added": [{"sha256": h} for h in sorted(added, reverse=True)],
        "removed": [{"sha256": h} for h in sorted(removed)],
    }


@settings(max_examples=80, deadline=None)
@given(filler=FILLER, history=st.lists(CHANGES, min_size=1, max_size=6), data=st.data())
def test_snapshot_v_plus_every_delta_since_v_is_the_current_snapshot(
    filler: set[str], history: list[tuple[set[str], set[str]]], data: st.DataObject
) -> None:
    # The server's list after each version, and the delta it published for each step (which
    # may re-add present entries or remove absent ones: members must shrug those off).
    states = [set(filler)]
    steps = []
    for added, removed in history:
        added_hashes, removed_hashes = set(map(sha, added)), set(map(sha, removed))
        states.append((states[-1] - removed_hashes) | added_hashes)
        steps.append(_answer(len(states) - 1, added_hashes, removed_hashes))
    current = len(states) - 1
    expected = URLList.from_snapshot(_answer(current, states[current], set()))
    assert list(expected) == sorted(states[current])

    since = data.draw(st.integers(0, current), label="since")
    # One step at a time from snapshot V ...
    stepwise = URLList.from_snapshot(_answer(since, states[since], set()))
    for version in range(since + 1, current + 1):
        stepwise.apply(steps[version - 1], since=version - 1)
    # ... and the one delta the server answers to ?since=V.
    cumulative = URLList.from_snapshot(_answer(since, states[since], set()))
    cumulative.apply(
        _answer(current, states[current] - states[since], states[since] - states[current]),
        since=since,
    )
    for url_list in (stepwise, cumulative):
        assert url_list.version == current
        assert list(url_list) == list(expected)

    # Membership and matching agree with a naive model of the same list.
    listed = {e for e in UNIVERSE if sha(e) in states[current]}
    assert [sha(e) in expected for e in UNIVERSE] == [e in listed for e in UNIVERSE]
    naive = [any(e in listed for e in expressions(url)) for url in PROBES]
    assert expected.check_many(PROBES) == naive
    assert [stepwise.check(url) for url in PROBES] == naive
