"""Exact Hamming-radius search over 256-bit hashes: the machinery of `matching.PDQIndex`.

Multi-index hashing (Norouzi, Punjani and Fleet, "Fast exact search in Hamming space with
multi-index hashing", 2014): cut the 256 bits into m disjoint pieces.  If a listed hash lies
within radius r = m*t + a (0 <= a < m) of a query, then one of the first a + 1 pieces differs
by at most t bits or one of the others by at most t - 1: otherwise the distance would be at
least (a + 1)(t + 1) + (m - a - 1)t = r + 1.  So looking up, in one bucket table per piece,
the query's key with every pattern of that few bits flipped finds every match among a few
thousand candidates, out of ten million.

Everything is vectorised over a slice of queries in pure NumPy; the costly part is random
memory access, so the layout keeps it to one read per probe and one per candidate:
- `runs`: per piece, for each of the 2**width keys, where its run of entries starts and ends
  in the piece's sorted entries (two 32-bit offsets in one 64-bit word, read at once);
- `sketches`: per piece and in the same sorted order, the first 128 bits of each entry, which
  reject almost every candidate without touching the full hashes (a distance over half the
  bits is never more than the whole distance, so the filter is exact);
- `rows`: in the same order, each entry's position, read only for the few that pass.
docs/hash-matching.md gives the measured costs behind the constants below.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from itertools import combinations

import numpy as np
import numpy.typing as npt

__all__ = ["BITS", "Found", "MultiIndex", "best_chunk_count", "scan", "scan_cost"]

BITS = 256

type Words = npt.NDArray[np.uint64]
type Found = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]
"""Matches as three arrays: the query's position in its slice, the entry's, the distance."""

_SKETCH = np.dtype((np.void, 16))  # the first two words, copied as one item (NumPy does it fast)
_SCAN_BLOCK = 32_768  # entries a scan reads at once, so they stay in the cache for every query
_TABLE_ENTRIES_PER_HASH = 16  # bucket-table size allowed, so small indexes get small tables
# Rough costs per query in nanoseconds, measured on a shared 2-core machine between 200,000
# and 10,000,000 hashes (they drift by a factor of two with the size, as caches stop helping):
# one probe (table read and its share of the work), one candidate (expand, read and test its
# sketch), one entry read by a scan.  They only choose the layout; results never depend on them.
_PROBE_NS = 37.0
_CANDIDATE_NS = 24.0
_SCAN_ENTRY_NS = 12.0


class MultiIndex:
    """Bucket tables over `chunks` pieces of the hashes in `words` (an `(n, 4)` array)."""

    def __init__(self, words: Words, chunks: int, threads: int = 1) -> None:
        size = len(words)
        if chunks * size >= 2**32:
            raise ValueError("a multi-index holds fewer than 2**32 entries in all its pieces")
        self.widths = chunk_widths(chunks)
        self.starts = tuple(sum(self.widths[:piece]) for piece in range(chunks))
        self.bases = tuple(sum(1 << w for w in self.widths[:piece]) for piece in range(chunks))
        self.size = size
        self.runs = np.empty(self.bases[-1] + (1 << self.widths[-1]), dtype=np.uint64)
        self.sketches = np.empty(chunks * size, dtype=_SKETCH)
        self.rows = np.empty(chunks * size, dtype=np.uint32)
        heads = _sketches(words)
        columns = np.ascontiguousarray(words.T).T  # each word of every hash side by side
        positions = np.arange(size, dtype=np.uint64)

        def fill(piece: int) -> None:
            width, base, first = self.widths[piece], self.bases[piece], piece * size
            keys = chunk_keys(columns, self.starts[piece], width)
            ends = np.cumsum(np.bincount(keys, minlength=1 << width), dtype=np.uint64)
            ends += np.uint64(first)
            runs = self.runs[base : base + (1 << width)]
            runs[0] = first
            runs[1:] = ends[:-1]
            ends <<= np.uint64(32)
            runs |= ends
            # sorting key and position together gives the positions in key order, fast
            ordered = keys.astype(np.uint64)
            ordered <<= np.uint64(32)
            ordered |= positions
            ordered.sort()
            ordered &= np.uint64(0xFFFF_FFFF)
            order = ordered.view(np.intp)
            self.rows[first : first + size] = order
            self.sketches[first : first + size] = heads.take(order)

        with ThreadPoolExecutor(max(1, threads)) as pool:
            list(pool.map(fill, range(chunks)))

    @property
    def nbytes(self) -> int:
        return int(self.runs.nbytes + self.sketches.nbytes + self.rows.nbytes)

    def cost(self, radius: int) -> float:
        """Estimated nanoseconds of one query at `radius`."""
        return lookup_cost(self.widths, radius, self.size)

    def search(self, words: Words, queries: Words, radius: int) -> Found:
        """The matches of a slice of queries: probe, expand the runs, filter, check."""
        flips = flips_per_chunk(len(self.widths), radius)
        masks = [flip_masks(width, f) for width, f in zip(self.widths, flips, strict=True)]
        count = len(queries)
        probes = np.empty((count, sum(len(mask) for mask in masks)), dtype=np.intp)
        column = 0
        for start, width, base, mask in zip(
            self.starts, self.widths, self.bases, masks, strict=True
        ):
            if len(mask):
                target = probes[:, column : column + len(mask)]
                np.bitwise_xor(chunk_keys(queries, start, width)[:, None], mask, out=target)
                target += base
                column += len(mask)
        runs = self.runs.take(probes.ravel())
        first = (runs & np.uint64(0xFFFF_FFFF)).view(np.intp)
        runs >>= np.uint64(32)
        sizes = runs.view(np.intp)
        sizes -= first
        per_query = sizes.reshape(count, -1).sum(axis=1)
        # the candidates' places in the sorted entries: every run, laid end to end (empty runs
        # add nothing; dropping them first would cost more than it saves)
        before = np.cumsum(sizes)
        before -= sizes
        first -= before
        places = np.repeat(first, sizes)
        places += np.arange(len(places))
        differences = self.sketches.take(places).view(np.uint64).reshape(-1, 2)
        differences ^= np.repeat(_sketches(queries), per_query).view(np.uint64).reshape(-1, 2)
        counts = np.bitwise_count(differences).view(np.uint16).ravel()
        counts *= np.uint16(0x0101)  # the high byte becomes the sum of the two words' counts
        counts >>= np.uint16(8)
        passed = np.flatnonzero(counts <= radius)
        owners = np.searchsorted(np.cumsum(per_query), passed, side="right")
        rows = self.rows.take(places[passed]).astype(np.int64)
        return exact(owners.astype(np.int64), rows, words, queries, radius)


def scan(words: Words, queries: Words, radius: int) -> Found:
    """The matches of a slice of queries, reading every entry, block by block."""
    owners: list[npt.NDArray[np.int64]] = []
    rows: list[npt.NDArray[np.int64]] = []
    buffer = np.empty((min(_SCAN_BLOCK, len(words)), 4), dtype=np.uint64)
    for begin in range(0, len(words), _SCAN_BLOCK):
        block = words[begin : begin + _SCAN_BLOCK]
        differences = buffer[: len(block)]
        for position, query in enumerate(queries):
            np.bitwise_xor(block, query, out=differences)
            counts = np.bitwise_count(differences).view(np.uint32).ravel()
            counts *= np.uint32(0x0101_0101)  # the top byte: the four counts' sum, modulo 256
            counts >>= np.uint32(24)
            near = np.flatnonzero(counts <= radius)
            if len(near):
                rows.append(near + begin)
                owners.append(np.full(len(near), position, dtype=np.int64))
    none = np.empty(0, dtype=np.int64)
    return exact(
        np.concatenate([none, *owners]), np.concatenate([none, *rows]), words, queries, radius
    )


def exact(
    owners: npt.NDArray[np.int64],
    rows: npt.NDArray[np.int64],
    words: Words,
    queries: Words,
    radius: int,
) -> Found:
    """The candidates within `radius`, each pair once, by query, then distance, then entry.

    Distances are recomputed in full here, so the fast filters before may let through a few
    pairs too many (never too few).
    """
    differences = words.take(rows, axis=0)
    differences ^= queries.take(owners, axis=0)
    distances = np.bitwise_count(differences).sum(axis=1, dtype=np.int64)
    keep = distances <= radius
    owners, rows, distances = owners[keep], rows[keep], distances[keep]
    order = np.lexsort((rows, distances, owners))
    owners, rows, distances = owners[order], rows[order], distances[order]
    first = np.ones(len(rows), dtype=bool)
    first[1:] = (owners[1:] != owners[:-1]) | (rows[1:] != rows[:-1])
    return owners[first], rows[first], distances[first]


def chunk_widths(chunks: int) -> tuple[int, ...]:
    """Widths of `chunks` disjoint pieces covering the 256 bits, as even as they can be."""
    width, wider = divmod(BITS, chunks)
    return (width + 1,) * wider + (width,) * (chunks - wider)


def chunk_keys(words: Words, start: int, width: int) -> npt.NDArray[np.intp]:
    """Bits `start` to `start + width` (counted from the first hex digit) of each hash."""
    word, offset = divmod(start, 64)
    end = offset + width
    if end <= 64:
        keys = words[:, word] >> np.uint64(64 - end)
    else:
        spill = end - 64
        keys = words[:, word] << np.uint64(spill)
        keys |= words[:, word + 1] >> np.uint64(64 - spill)
    keys &= np.uint64((1 << width) - 1)
    return keys.astype(np.intp)


def flips_per_chunk(chunks: int, radius: int) -> list[int]:
    """Bits to flip in each piece's key so every match is found; -1: the piece is not probed."""
    most, wider = divmod(radius, chunks)
    return [most if piece <= wider else most - 1 for piece in range(chunks)]


@lru_cache(maxsize=128)
def flip_masks(width: int, flips: int) -> npt.NDArray[np.intp]:
    """Every `width`-bit pattern with at most `flips` bits set: the probes around one key."""
    masks = [
        sum(1 << bit for bit in bits)
        for count in range(flips + 1)
        for bits in combinations(range(width), count)
    ]
    return np.array(masks, dtype=np.intp)


def lookup_cost(widths: Sequence[int], radius: int, size: int) -> float:
    """Estimated nanoseconds of one multi-index query over `size` hashes."""
    cost = 0.0
    for width, flips in zip(widths, flips_per_chunk(len(widths), radius), strict=True):
        probes = sum(math.comb(width, count) for count in range(flips + 1))
        cost += probes * (_PROBE_NS + _CANDIDATE_NS * size / (1 << width))
    return cost


def scan_cost(size: int) -> float:
    """Estimated nanoseconds of one query that reads all `size` hashes."""
    return _SCAN_ENTRY_NS * size


def best_chunk_count(size: int, radius: int) -> int | None:
    """The number of pieces that makes queries at `radius` cheapest, or `None` to scan.

    More pieces mean fewer flips per piece but narrower keys, so fuller buckets; the bucket
    tables must also stay in proportion to the hashes they index.
    """
    allowed = _TABLE_ENTRIES_PER_HASH * size
    options = [
        (lookup_cost(chunk_widths(chunks), radius, size), chunks)
        for chunks in range(8, 33)
        if sum(1 << width for width in chunk_widths(chunks)) <= allowed
    ]
    if not options or min(options)[0] >= scan_cost(size):
        return None
    return min(options)[1]


def _sketches(words: Words) -> npt.NDArray[np.void]:
    """The first two words of each hash as one 16-byte item."""
    return np.ascontiguousarray(words[:, :2]).view(_SKETCH).ravel()
