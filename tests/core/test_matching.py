"""PDQIndex finds exactly what a brute-force scan finds; ExactIndex looks up MD5 and SHA-1."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from turntide.core import matching
from turntide.core._multi_index import MultiIndex, best_chunk_count
from turntide.core.hashing import InvalidHash
from turntide.core.matching import ExactIndex, PDQIndex

type Hashes = npt.NDArray[np.uint8]
type Found = list[list[tuple[int, int]]]

PLANTED = range(41)  # distances of the near-duplicates planted around each query


def planted_set(
    seed: int, size: int, queries: int, distances: range = PLANTED
) -> tuple[Hashes, Hashes]:
    """Random hashes with, for every query, copies at each of `distances` bits from it."""
    rng = np.random.default_rng(seed)
    hashes = rng.integers(0, 256, (size, 32), dtype=np.uint8)
    asked = rng.integers(0, 256, (queries, 32), dtype=np.uint8)
    slots = rng.permutation(size)[: queries * len(distances)]
    bits = np.unpackbits(asked, axis=1)
    for number, slot in enumerate(slots):
        query, distance = divmod(number, len(distances))
        copy = bits[query].copy()
        copy[rng.choice(256, distances[distance], replace=False)] ^= 1
        hashes[slot] = np.packbits(copy)
    return hashes, asked


def brute_force(hashes: Hashes, queries: Hashes, radius: int) -> Found:
    """The obvious answer, one Python integer comparison at a time."""
    values = [int.from_bytes(h.tobytes()) for h in hashes]
    found = []
    for query in queries:
        wanted = int.from_bytes(query.tobytes())
        pairs = [(i, (v ^ wanted).bit_count()) for i, v in enumerate(values)]
        found.append(sorted(((i, d) for i, d in pairs if d <= radius), key=lambda p: (p[1], p[0])))
    return found


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    size=st.integers(41, 400),
    radius=st.sampled_from([0, 1, 7, 15, 31, 32, 40, 64]),
)
def test_the_index_finds_exactly_what_brute_force_finds(seed: int, size: int, radius: int) -> None:
    hashes, queries = planted_set(seed, size, queries=size // 41)
    assert PDQIndex(hashes).query_batch(queries, radius) == brute_force(hashes, queries, radius)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    chunks=st.integers(13, 32),
    radius=st.sampled_from([0, 5, 12, 31, 40]),
)
def test_multi_index_lookups_find_exactly_what_brute_force_finds(
    seed: int, chunks: int, radius: int
) -> None:
    """The bucket tables at piece counts from 13 (20-bit keys) to 32, on a small set."""
    hashes, queries = planted_set(seed, 300, queries=6)
    index = PDQIndex(hashes, threads=1)
    index._multi = MultiIndex(index._words, chunks)
    assert index.chunks == chunks
    words = matching._as_words(queries)
    owners, rows, distances = index._multi.search(index._words, words, radius)
    found: Found = [[] for _ in queries]
    for owner, row, distance in zip(
        owners.tolist(), rows.tolist(), distances.tolist(), strict=True
    ):
        found[owner].append((row, distance))
    assert found == brute_force(hashes, queries, radius)


@pytest.fixture(scope="module")
def large() -> tuple[PDQIndex, Hashes, Hashes]:
    hashes, queries = planted_set(7, 200_000, queries=300)
    return PDQIndex(hashes, threads=2), hashes, queries


def test_a_large_index_uses_lookups_and_finds_every_planted_neighbour(
    large: tuple[PDQIndex, Hashes, Hashes],
) -> None:
    index, hashes, queries = large
    assert index.chunks == best_chunk_count(len(hashes), 31) > 0
    found = index.query_batch(queries)
    assert [sorted(d for _, d in pairs) for pairs in found] == [list(range(32))] * len(queries)


@pytest.mark.parametrize("radius", [0, 10, 31, 40])
def test_a_large_index_agrees_with_a_scan(
    large: tuple[PDQIndex, Hashes, Hashes], radius: int
) -> None:
    index, hashes, queries = large
    scanning = PDQIndex(hashes, threads=2)
    scanning._multi = None
    some = queries[:60]
    assert index.query_batch(some, radius) == scanning.query_batch(some, radius)


def test_one_query_matches_its_batch_and_takes_hex_or_bytes() -> None:
    hashes, queries = planted_set(3, 500, queries=4)
    index = PDQIndex([h.tobytes().hex() for h in hashes])
    batch = index.query_batch([q.tobytes() for q in queries])
    assert [index.query(q.tobytes().hex().upper()) for q in queries] == batch
    assert index.query_batch(queries) == batch


def test_a_complement_is_256_bits_away() -> None:
    index = PDQIndex(["00" * 32])
    assert index.query("ff" * 32, radius=255) == []
    assert index.query("ff" * 32, radius=256) == [(0, 256)]


def test_empty_indexes_and_batches() -> None:
    assert PDQIndex([]).query("00" * 32) == []
    assert len(PDQIndex(np.zeros((0, 32), dtype=np.uint8))) == 0
    assert PDQIndex(["00" * 32]).query_batch([]) == []


@pytest.mark.parametrize(
    "hashes",
    [["00" * 31], ["zz" * 32], np.zeros((2, 31), dtype=np.uint8), np.zeros((2, 32)), "00" * 32],
    ids=["short", "not hex", "narrow array", "float array", "one string"],
)
def test_malformed_hashes_are_refused(hashes: object) -> None:
    with pytest.raises(InvalidHash):
        PDQIndex(hashes)  # type: ignore[arg-type]


@pytest.mark.parametrize("radius", [-1, 257, 3.5, True])
def test_a_radius_outside_0_to_256_is_refused(radius: object) -> None:
    with pytest.raises(ValueError, match="radius"):
        PDQIndex(["00" * 32]).query("00" * 32, radius)  # type: ignore[arg-type]


def test_exact_index_finds_md5_and_sha1_in_any_case() -> None:
    sha1s = ["da39a3ee5e6b4b0d3255bfef95601890afd80709", "A9993E364706816ABA3E25717850C26C9CD0D89D"]
    index = ExactIndex(sha1s, kind="sha1")
    assert len(index) == 2
    assert index.find_many([sha1s[1].lower(), bytes.fromhex(sha1s[0]), "00" * 20]) == [1, 0, None]
    assert sha1s[0].upper() in index
    assert "not a hash" not in index
    with pytest.raises(InvalidHash):
        index.find("00" * 16)
    with pytest.raises(InvalidHash):
        ExactIndex(["00" * 20], kind="md5")
