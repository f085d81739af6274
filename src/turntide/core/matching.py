"""Matching hashes against the hash list: exact MD5/SHA-1 lookups and PDQ near-duplicates.

`PDQIndex` answers "which listed PDQ hashes lie within Hamming distance r of this one?" exactly:
every entry within the radius, with its distance, never an approximation.  docs/hash-matching.md
explains how it stays fast for ten million hashes and how fast it is.

>>> index = PDQIndex(["00" * 32, "ff" * 32, "0f" * 32])
>>> len(index)
3
>>> index.query("00" * 31 + "07")
[(0, 3)]
>>> index.query_batch(["ff" * 32, "f0" * 32], radius=128)
[[(1, 0), (2, 128)], [(0, 128), (1, 128)]]
>>> exact = ExactIndex(["d41d8cd98f00b204e9800998ecf8427e"], kind="md5")
>>> exact.find("D41D8CD98F00B204E9800998ECF8427E"), exact.find("00" * 16)
(0, None)
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import numpy as np
import numpy.typing as npt

from turntide.core._multi_index import BITS, Found, MultiIndex, best_chunk_count, scan, scan_cost
from turntide.core.hashing import HASH_SIZES, HashKind, InvalidHash, parse_hash, pdq_bytes

__all__ = ["DEFAULT_RADIUS", "ExactIndex", "PDQIndex"]

DEFAULT_RADIUS = 31
"""Meta's advised PDQ match threshold: at most 31 of the 256 bits differ."""

_DEFAULT_THREADS = min(4, os.cpu_count() or 1)
_SLICE = 256  # queries searched together: enough to share the work, few enough for the cache

type Match = tuple[int, int]
type HashArray = npt.NDArray[np.uint8]
type Queries = Sequence[str | bytes] | HashArray


class PDQIndex:
    """Every listed PDQ hash within a Hamming radius of a query, with its distance.

    Build it from 64-digit hexadecimal strings or, for millions of hashes, from a NumPy `uint8`
    array of shape `(n, 32)`.  Results list `(index, distance)` pairs, nearest first, then by
    index; `index` is the entry's position in the input.  `query_batch` is the fast path: it
    shares the work of many queries and spreads it over `threads` threads.

    Large indexes use multi-index hashing: the 256 bits are cut into `chunks` disjoint pieces,
    and by the pigeonhole principle an entry within the radius differs from the query in at
    least one piece by only a few bits.  Looking up those few keys in one bucket table per piece
    gives a small set of candidates whose distances are then checked, so the answer is exact.
    Small indexes, and radii so large that the lookups would cost more than reading every
    entry, are scanned instead.
    """

    def __init__(
        self, hashes: Sequence[str] | HashArray, *, threads: int = _DEFAULT_THREADS
    ) -> None:
        self._words = _as_words(hashes)
        self.threads = max(1, threads)
        chunks = best_chunk_count(len(self._words), DEFAULT_RADIUS)
        self._multi = None if chunks is None else MultiIndex(self._words, chunks, self.threads)

    def __len__(self) -> int:
        return len(self._words)

    @property
    def chunks(self) -> int:
        """Pieces the hashes are cut into for lookups; 0 when the index is only scanned."""
        return 0 if self._multi is None else len(self._multi.widths)

    @property
    def nbytes(self) -> int:
        """Memory held by the index's arrays, in bytes."""
        return int(self._words.nbytes) + (0 if self._multi is None else self._multi.nbytes)

    def query(self, h: str | bytes, radius: int = DEFAULT_RADIUS) -> list[Match]:
        """The entries within `radius` bits of one hash (hexadecimal string or 32 bytes)."""
        return self.query_batch([h], radius)[0]

    def query_batch(self, hs: Queries, radius: int = DEFAULT_RADIUS) -> list[list[Match]]:
        """One result list per query, for a list of hashes or a `(m, 32)` uint8 array."""
        _check_radius(radius)
        queries = _as_words(hs)
        words, multi = self._words, self._multi
        search: Callable[[npt.NDArray[np.uint64]], Found]
        if multi is not None and multi.cost(radius) < scan_cost(len(words)):
            search = partial(multi.search, words, radius=radius)
        else:
            search = partial(scan, words, radius=radius)
        firsts = range(0, len(queries), _SLICE)

        def search_slice(first: int) -> Found:
            owners, rows, distances = search(queries[first : first + _SLICE])
            return owners + first, rows, distances

        if self.threads > 1 and len(firsts) > 1:
            with ThreadPoolExecutor(min(self.threads, len(firsts))) as pool:
                parts = list(pool.map(search_slice, firsts))
        else:
            parts = [search_slice(first) for first in firsts]
        return _group(parts, len(queries))


class ExactIndex:
    """Exact lookups of MD5 or SHA-1 hashes: the position of a listed value, or `None`."""

    def __init__(self, hashes: Iterable[str], kind: HashKind = "md5") -> None:
        self.kind = kind
        self._positions: dict[bytes, int] = {}
        for position, value in enumerate(hashes):
            self._positions.setdefault(parse_hash(value, kind), position)

    def __len__(self) -> int:
        return len(self._positions)

    def __contains__(self, value: object) -> bool:
        """Whether `value` is listed; anything that is not a hash of this kind is not."""
        if not isinstance(value, str | bytes):
            return False
        try:
            return self.find(value) is not None
        except InvalidHash:
            return False

    def find(self, value: str | bytes) -> int | None:
        """The position of the first entry equal to `value` (hexadecimal or raw bytes)."""
        if isinstance(value, str):
            value = parse_hash(value, self.kind)
        elif len(value) != HASH_SIZES[self.kind]:
            raise InvalidHash(f"a {self.kind} hash is {HASH_SIZES[self.kind]} bytes")
        return self._positions.get(value)

    def find_many(self, values: Iterable[str | bytes]) -> list[int | None]:
        """`find` for each value, in order."""
        return [self.find(value) for value in values]


def _group(parts: Sequence[Found], count: int) -> list[list[Match]]:
    """One list of `(index, distance)` pairs per query, from matches sorted by query."""
    if not parts:
        return []
    owners = np.concatenate([part[0] for part in parts])
    rows = np.concatenate([part[1] for part in parts]).tolist()
    distances = np.concatenate([part[2] for part in parts]).tolist()
    pairs = list(zip(rows, distances, strict=True))
    bounds = np.searchsorted(owners, np.arange(count + 1)).tolist()
    return [pairs[bounds[i] : bounds[i + 1]] for i in range(count)]


def _check_radius(radius: int) -> None:
    if isinstance(radius, bool) or not isinstance(radius, int) or not 0 <= radius <= BITS:
        raise ValueError(f"radius must be a whole number of bits from 0 to {BITS}")


def _as_words(hashes: Sequence[str | bytes] | HashArray) -> npt.NDArray[np.uint64]:
    """Hashes as an `(n, 4)` array of 64-bit words (big-endian: the first hex digits first)."""
    if isinstance(hashes, np.ndarray):
        if hashes.dtype != np.uint8 or hashes.ndim != 2 or hashes.shape[1] != HASH_SIZES["pdq"]:
            raise InvalidHash("a hash array must be uint8 with shape (n, 32)")
        raw = np.ascontiguousarray(hashes)
    else:
        if isinstance(hashes, str | bytes):
            raise InvalidHash("give a sequence of hashes, not a single one")
        joined = b"".join(pdq_bytes(h) for h in hashes)
        raw = np.frombuffer(joined, dtype=np.uint8).reshape(-1, HASH_SIZES["pdq"])
    return raw.view(">u8").astype(np.uint64)
