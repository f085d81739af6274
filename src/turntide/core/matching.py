"""Matching hashes against the hash list: exact MD5/SHA-1 lookups and PDQ near-duplicates.

`PDQIndex` answers "which listed PDQ hashes lie within Hamming distance r of this one?" exactly:
every entry within the radius, with its distance, never an approximation.

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

from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

from turntide.core.hashing import HASH_SIZES, HashKind, InvalidHash, parse_hash, pdq_bytes

__all__ = ["DEFAULT_RADIUS", "ExactIndex", "PDQIndex"]

DEFAULT_RADIUS = 31
"""Meta's advised PDQ match threshold: at most 31 of the 256 bits differ."""

_BITS = 256
_WORDS = 4  # a PDQ hash as four 64-bit words

type Match = tuple[int, int]
type HashArray = npt.NDArray[np.uint8]
type Queries = Sequence[str | bytes] | HashArray


class PDQIndex:
    """Every listed PDQ hash within a Hamming radius of a query, with its distance.

    Build it from 64-digit hexadecimal strings or, for millions of hashes, from a NumPy `uint8`
    array of shape `(n, 32)`.  Results list `(index, distance)` pairs, nearest first, then by
    index; `index` is the entry's position in the input.
    """

    def __init__(self, hashes: Sequence[str] | HashArray) -> None:
        self._words = _as_words(hashes)

    def __len__(self) -> int:
        return len(self._words)

    @property
    def nbytes(self) -> int:
        """Memory held by the index's arrays, in bytes."""
        return int(self._words.nbytes)

    def query(self, h: str | bytes, radius: int = DEFAULT_RADIUS) -> list[Match]:
        """The entries within `radius` bits of one hash (hexadecimal string or 32 bytes)."""
        return self.query_batch([h], radius)[0]

    def query_batch(self, hs: Queries, radius: int = DEFAULT_RADIUS) -> list[list[Match]]:
        """One result list per query, for a list of hashes or a `(m, 32)` uint8 array."""
        _check_radius(radius)
        queries = _as_words(hs)
        found: list[list[Match]] = []
        for query in queries:
            distances = np.bitwise_count(self._words ^ query).sum(axis=1, dtype=np.int32)
            (rows,) = np.nonzero(distances <= radius)
            order = np.lexsort((rows, distances[rows]))
            found.append([(int(rows[i]), int(distances[rows[i]])) for i in order])
        return found


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
        return isinstance(value, str | bytes) and self.find(value) is not None

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


def _check_radius(radius: int) -> None:
    if isinstance(radius, bool) or not isinstance(radius, int) or not 0 <= radius <= _BITS:
        raise ValueError(f"radius must be a whole number of bits from 0 to {_BITS}")


def _as_words(hashes: Sequence[str | bytes] | HashArray) -> npt.NDArray[np.uint64]:
    """Hashes as an `(n, 4)` array of big-endian 64-bit words, validated."""
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
