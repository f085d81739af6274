"""The sorted block of 32-byte hashes behind `turntide.core.urllist.URLList`.

Kept apart from the list's own rules (deltas, keys, files) because it is a data structure
with one job: find a hash among a million in well under a microsecond, and take a small
change without rebuilding. docs/url-list-checker.md describes it and its measured speed.
"""

from __future__ import annotations

import hashlib
import hmac
import sys
from array import array
from bisect import bisect_left
from collections import deque
from dataclasses import dataclass, replace
from itertools import compress, islice, repeat
from operator import eq, lt, rshift

from turntide.core.urls import InvalidURL, expressions

SIZE = 32  # bytes of one SHA-256 hash
_PREFIX = 8  # bytes of a hash held in the prefix index
SHARED = 2  # the mark of a slot that several entries share; the others are odd
_ODD = bytes(b | 1 for b in range(256))  # translation table: a byte made odd
sha256 = hashlib.sha256
hmac_digest = hmac.digest
from_bytes = int.from_bytes


@dataclass(frozen=True, slots=True, eq=False)
class HashTable:
    """One version of the list; replaced whole, so a reader never sees half a change.

    `hashes` holds the entries, ascending and unique.  `prefixes[i]` is the first eight bytes
    of entry `i` read as a big-endian number, so the prefixes ascend too and `bisect` finds an
    entry without slicing the block.  `marks` has a byte for each value of a hash's leading
    bits (`shift` drops the rest of its first three bytes), with eight to sixteen such slots
    per entry: 0 where no entry leads with those bits, `SHARED` where several do, else the
    fourth byte of the one that does, made odd.  Nine in ten absent hashes fall on an empty
    slot and most of the rest on a wrong fourth byte: all but some 0.75% are turned away in
    one step, without the bisection.
    """

    version: int
    psl_version: str
    hashes: bytes
    prefixes: array[int]
    marks: bytearray
    shift: int

    @classmethod
    def build(cls, version: int, psl_version: str, hashes: bytes) -> HashTable:
        """The table of `hashes`, which must ascend: `is_ordered` checks that afterwards."""
        view = memoryview(hashes)
        prefixes, words = array("Q"), array("I")  # first eight and first four bytes
        prefixes.frombytes(view.cast("Q")[:: SIZE // 8].tobytes() if hashes else b"")
        words.frombytes(view.cast("I")[:: SIZE // 4].tobytes() if hashes else b"")
        if sys.byteorder == "little":
            prefixes.byteswap()
            words.byteswap()
        bits = min(max((len(prefixes) - 1).bit_length() + 3, 12), 24)
        slots = array("I", map(rshift, words, repeat(32 - bits)))
        marks = bytearray(1 << bits)
        deque(map(marks.__setitem__, slots, view[3::SIZE].tobytes().translate(_ODD)), 0)
        shared = compress(slots, map(eq, slots, islice(slots, 1, None)))  # slots ascend
        deque(map(marks.__setitem__, shared, repeat(SHARED)), 0)
        return cls(version, psl_version, hashes, prefixes, marks, 24 - bits)

    def find(self, digest: bytes) -> int:
        """Index of the 32-byte `digest`, or -1."""
        mark = self.marks[from_bytes(digest[:3]) >> self.shift]
        if mark and (mark == digest[3] | 1 or mark == SHARED):
            return self.search(digest)
        return -1

    def search(self, digest: bytes) -> int:
        """Index of `digest` found by bisection, or -1; `find` without the first step."""
        prefixes, hashes = self.prefixes, self.hashes
        prefix = from_bytes(digest[:_PREFIX])
        index = bisect_left(prefixes, prefix)
        # Two entries may share a prefix; they lie side by side.
        while index < len(prefixes) and prefixes[index] == prefix:
            if hashes[index * SIZE : index * SIZE + SIZE] == digest:
                return index
            index += 1
        return -1

    def first_match(self, url: str, key: bytes | None) -> int:
        """Index of the entry of the first of `url`'s expressions on the list, or -1.

        With a `key`, entries are HMAC-SHA256 under it rather than SHA-256 (keyed lists).
        """
        try:
            candidates = expressions(url)
        except InvalidURL:
            return -1
        marks, shift = self.marks, self.shift
        for expression in candidates:
            encoded = expression.encode()
            digest = (
                sha256(encoded).digest() if key is None else hmac_digest(key, encoded, "sha256")
            )
            mark = marks[from_bytes(digest[:3]) >> shift]
            if mark and (mark == digest[3] | 1 or mark == SHARED):
                index = self.search(digest)
                if index >= 0:
                    return index
        return -1

    def insertion_point(self, digest: bytes) -> int:
        prefixes, hashes = self.prefixes, self.hashes
        prefix = from_bytes(digest[:_PREFIX])
        index = bisect_left(prefixes, prefix)
        while (
            index < len(prefixes)
            and prefixes[index] == prefix
            and hashes[index * SIZE : index * SIZE + SIZE] < digest
        ):
            index += 1
        return index

    def changed(
        self, version: int, psl_version: str, added: list[str], removed: list[str]
    ) -> HashTable:
        """The table without `removed` and then with `added` (lower-case hexadecimal)."""
        if len(added) + len(removed) > len(self.prefixes) // 8:
            return self._rebuilt(version, psl_version, added, removed)
        gone = {bytes.fromhex(h) for h in removed}
        new = {bytes.fromhex(h) for h in added}
        events: list[tuple[int, int, bytes]] = []  # (old index, 0 insert | 1 delete, hash)
        for digest in gone - new:
            index = self.find(digest)
            if index >= 0:
                events.append((index, 1, digest))
        for digest in new:
            if self.find(digest) < 0:
                events.append((self.insertion_point(digest), 0, digest))
        if not events:
            return replace(self, version=version, psl_version=psl_version)
        # Inserts at one index go in hash order, and before the deletion of that index's entry.
        events.sort()
        old = memoryview(self.hashes)
        parts: list[bytes | memoryview] = []
        done = 0  # old entries copied or deleted so far
        for index, kind, digest in events:
            parts.append(old[done * SIZE : index * SIZE])
            if kind:
                done = index + 1
            else:
                parts.append(digest)
                done = index
        parts.append(old[done * SIZE :])
        return HashTable.build(version, psl_version, b"".join(parts))

    def _rebuilt(
        self, version: int, psl_version: str, added: list[str], removed: list[str]
    ) -> HashTable:
        """`changed` for many changes, such as a whole list: sorting beats splicing then.

        Lower-case hexadecimal sorts as the bytes do, and the snapshot's own strings sort
        without making a new object per entry.
        """
        entries = list(added)
        if self.hashes:
            old = self.hashes.hex()
            entries += [old[i : i + 2 * SIZE] for i in range(0, len(old), 2 * SIZE)]
        entries.sort()
        if removed:
            gone = set(removed).difference(added)
            entries = [h for h in entries if h not in gone]
        table = HashTable.build(version, psl_version, bytes.fromhex("".join(entries)))
        if table.is_ordered():
            return table
        # An entry twice: added twice, or added while present.
        entries = list(dict.fromkeys(entries))
        return HashTable.build(version, psl_version, bytes.fromhex("".join(entries)))

    def is_ordered(self) -> bool:
        """Whether the entries ascend strictly, as `search` needs."""
        prefixes, hashes = self.prefixes, self.hashes
        if all(map(lt, prefixes, islice(prefixes, 1, None))):
            return True
        return all(
            hashes[i * SIZE : (i + 1) * SIZE] < hashes[(i + 1) * SIZE : (i + 2) * SIZE]
            for i in range(len(prefixes) - 1)
        )


EMPTY = HashTable.build(0, "", b"")
