"""turntide.core.hashlist: the member-side list (no Django)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.hashes.conftest import flip, pdq
from turntide.core.hashlist import HashList, HashListError, VersionMismatch

MD5 = "d41d8cd98f00b204e9800998ecf8427e"


def snapshot(version: int = 1) -> dict:
    return {
        "version": version,
        "removed": [],
        "added": [
            {"type": "md5", "value": MD5, "category": "A", "source": "Hotline"},
            {"type": "pdq", "value": pdq(1), "category": "B", "source": "Near", "threshold": 31},
            {
                "type": "pdq",
                "value": flip(pdq(1), 40),
                "category": "C",
                "source": "Strict",
                "threshold": 10,
            },
        ],
    }


def test_pdq_matches_within_each_entrys_own_threshold() -> None:
    hashes = HashList.from_snapshot(snapshot())
    found = hashes.check("pdq", flip(pdq(1), 35))  # 35 from the first, 5 from the second
    assert [(m.entry.source, m.distance) for m in found] == [("Strict", 5)]
    found = hashes.check("pdq", flip(pdq(1), 20))
    assert [(m.entry.source, m.distance) for m in found] == [("Near", 20)]


def test_a_delta_for_another_version_or_malformed_changes_nothing() -> None:
    hashes = HashList.from_snapshot(snapshot())
    with pytest.raises(VersionMismatch, match=r"fetch \?since=1"):
        hashes.apply({"version": 3, "added": [], "removed": []}, since=2)
    bad = {
        "version": 2,
        "removed": [{"type": "md5", "value": MD5}],
        "added": [{"type": "pdq", "value": "short"}],
    }
    with pytest.raises(HashListError, match='entry 0 of "added"'):
        hashes.apply(bad, since=1)
    assert (hashes.version, len(hashes)) == (1, 3)


def test_save_and_load_round_trip_and_refuse_damaged_files(tmp_path: Path) -> None:
    hashes = HashList.from_snapshot(snapshot(7))
    opaque = {"type": "photodna", "value": "12,0,255", "category": "", "source": "Hotline"}
    hashes.apply({"version": 8, "added": [opaque], "removed": []}, since=7)
    path = tmp_path / "hashes.list"
    hashes.save(path)
    loaded = HashList.load(path)
    assert (loaded.version, list(loaded)) == (8, list(hashes))
    assert len(loaded.check("photodna", "12,0,255")) == 1
    path.write_text(path.read_text()[:-10])
    with pytest.raises(HashListError, match="damaged"):
        HashList.load(path)


def test_a_file_that_is_no_image_is_checked_by_its_digests(tmp_path: Path) -> None:
    video = tmp_path / "clip.mp4"
    video.write_bytes(b"synthetic bytes, not a picture")
    digest = hashlib.md5(video.read_bytes(), usedforsecurity=False).hexdigest()
    hashes = HashList.from_snapshot(
        {
            "version": 1,
            "removed": [],
            "added": [{"type": "md5", "value": digest, "category": "", "source": "Hotline"}],
        }
    )
    assert [m.entry.value for m in hashes.check_file(video)] == [digest]


def test_hashes_sent_in_capitals_are_stored_in_lower_case_and_the_bad_one_is_named() -> None:
    upper = snapshot()
    upper["added"][0]["value"] = MD5.upper()
    assert ("md5", MD5) in HashList.from_snapshot(upper)
    bad = snapshot()
    bad["added"].append({"type": "sha1", "value": "g" * 40, "category": "", "source": "X"})
    with pytest.raises(HashListError, match='entry 3 of "added": a sha1 hash holds only'):
        HashList.from_snapshot(bad)


def test_a_saved_file_with_an_altered_entry_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "hashes.list"
    HashList.from_snapshot(snapshot()).save(path)
    path.write_text(path.read_text().replace(MD5, "z" * 32))
    with pytest.raises(HashListError, match="is damaged"):
        HashList.load(path)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=70),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
ENTRY = st.fixed_dictionaries(
    {"type": st.sampled_from(["md5", "pdq", "photodna", "x"]) | JSON, "value": JSON},
    optional={"category": JSON, "source": JSON, "threshold": JSON},
)


@settings(max_examples=200, deadline=None)
@given(added=st.lists(ENTRY | JSON, max_size=5), removed=st.lists(ENTRY | JSON, max_size=3))
def test_any_malformed_delta_is_refused_cleanly_and_changes_nothing(added, removed) -> None:
    hashes = HashList.from_snapshot(snapshot())
    before = list(hashes)
    try:
        hashes.apply({"version": 2, "added": added, "removed": removed}, since=1)
    except HashListError:
        assert (hashes.version, list(hashes)) == (1, before)
