"""The member-side hash list: MD5, SHA-1, PDQ and opaque PhotoDNA entries, kept by deltas.

Members receive the hash list from `GET /api/v1/lists/hashes?since=V` and check the files or
hashes they see against it: MD5, SHA-1 and PhotoDNA exactly, PDQ within the Hamming distance
that the entry's source allows (its `threshold`), through `turntide.core.matching.PDQIndex`.

>>> pdq = "f" * 62 + "00"
>>> hashes = HashList.from_snapshot({"version": 2, "removed": [], "added": [
...     {"type": "md5", "value": "0" * 32, "category": "A", "source": "Hotline"},
...     {"type": "pdq", "value": pdq, "category": "B", "source": "Partner", "threshold": 31},
... ]})
>>> len(hashes), hashes.version
(2, 2)
>>> [m.distance for m in hashes.check("pdq", "f" * 64)]   # eight bits differ
[8]
>>> hashes.check("md5", "0" * 31 + "1")
[]
>>> hashes.apply({"version": 3, "added": [], "removed": [{"type": "md5", "value": "0" * 32}]},
...              since=2)
>>> len(hashes), hashes.check("MD5", "0" * 32)
(1, [])
>>> canonical_hash("sha1", "xyz")
Traceback (most recent call last):
    ...
turntide.core.hashing.InvalidHash: a sha1 hash is 40 hexadecimal digits, not 3
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from turntide.core.deltas import ListError, VersionMismatch, delta_version
from turntide.core.files import write_atomically
from turntide.core.hashing import (
    HASH_SIZES,
    HashKind,
    InvalidHash,
    NotAnImage,
    hash_bytes,
    normalize_hash,
)
from turntide.core.matching import PDQIndex

__all__ = [
    "FILE_FORMAT",
    "HASH_TYPES",
    "HashList",
    "HashListError",
    "ListedHash",
    "Match",
    "VersionMismatch",
    "canonical_hash",
    "guess_type",
]

HASH_TYPES = ("md5", "sha1", "pdq", "photodna")
"""The entry types; PhotoDNA is proprietary and carried as opaque text, matched exactly."""

FILE_FORMAT = "turntide-hash-list/1"
"""The `format` written by `HashList.save`; `HashList.load` reads this one only."""

_HEX_KINDS: dict[str, HashKind] = {"md5": "md5", "sha1": "sha1", "pdq": "pdq"}
_MAX_OPAQUE = 2000  # characters of a PhotoDNA hash: 144 bytes in any usual spelling fit
_MAX_THRESHOLD = 256  # bits of a PDQ hash

HashListError = ListError
"""A delta, snapshot or list file that cannot be used (`VersionMismatch` among them)."""


class ListedHash(NamedTuple):
    """One entry of the list; `threshold` is the PDQ distance its source allows (0: exact).

    A named tuple: a list holds millions, and tuples are made several times faster than
    frozen dataclasses.
    """

    type: str
    value: str
    category: str
    source: str
    threshold: int = 0


@dataclass(frozen=True, slots=True)
class Match:
    """An entry that a checked hash matched, and how far apart they are (0 for exact types)."""

    entry: ListedHash
    distance: int


def canonical_hash(kind: str, value: str) -> str:
    """The stored spelling of a hash of type `kind`; `InvalidHash` says what is wrong.

    >>> canonical_hash("md5", " D41D8CD98F00B204E9800998ECF8427E ")
    'd41d8cd98f00b204e9800998ecf8427e'
    >>> canonical_hash("photodna", " opaque,text ")
    'opaque,text'
    """
    hex_kind = _HEX_KINDS.get(kind)
    if hex_kind is not None:
        return normalize_hash(value, hex_kind)
    if kind != "photodna":
        raise InvalidHash(f"unknown hash type {kind!r:.40}; choose among {', '.join(HASH_TYPES)}")
    text = value.strip()
    if not 0 < len(text) <= _MAX_OPAQUE or not text.isascii() or not text.isprintable():
        raise InvalidHash(f"a photodna hash is 1 to {_MAX_OPAQUE} printable ASCII characters")
    return text


def guess_type(value: str) -> str:
    """The type of a bare hexadecimal hash, from its length (32: md5, 40: sha1, 64: pdq).

    >>> guess_type("a" * 40)
    'sha1'
    """
    text = value.strip()
    for kind, size in HASH_SIZES.items():
        if len(text) == 2 * size:
            return kind
    raise InvalidHash(
        f"cannot tell the type of {value!r:.80}: give it as TYPE VALUE "
        f"(hexadecimal md5 is 32 digits, sha1 40, pdq 64)"
    )


class _PDQEntries:
    """The PDQ entries in an index, built when first needed after a change."""

    __slots__ = ("entries", "index", "radius")

    def __init__(self, entries: list[ListedHash]) -> None:
        self.entries = entries
        digests = bytes.fromhex("".join(entry.value for entry in entries))
        array = np.frombuffer(digests, dtype=np.uint8).reshape(-1, HASH_SIZES["pdq"])
        self.index = PDQIndex(array) if entries else None
        self.radius = max((entry.threshold for entry in entries), default=0)

    def matches(self, found: Iterable[tuple[int, int]]) -> list[Match]:
        entries = self.entries
        matches = [
            Match(entries[index], distance)
            for index, distance in found
            if distance <= entries[index].threshold
        ]
        matches.sort(key=lambda match: match.distance)
        return matches


class HashList:
    """The hash list of one member: built from a snapshot, kept current by deltas.

    `check(type, value)` answers the entries a hash matches; `check_file(path)` hashes a file
    first (MD5 and SHA-1 of its bytes, and PDQ when it is an image).  `apply(delta, since=V)`
    takes the answer of `GET /api/v1/lists/hashes?since=V`; `save` and `load` keep a local
    copy between runs.
    """

    __slots__ = ("_entries", "_pdq", "_version")

    def __init__(self) -> None:
        """An empty list at version 0, to which the whole list applies as the delta since 0."""
        self._version = 0
        self._entries: dict[tuple[str, str], ListedHash] = {}
        self._pdq: _PDQEntries | None = None

    @classmethod
    def from_snapshot(cls, snapshot: Mapping[str, object]) -> HashList:
        """The list from the answer of `GET /api/v1/lists/hashes` (whole list, `since` 0)."""
        hash_list = cls()
        hash_list.apply(snapshot, since=0)
        return hash_list

    @property
    def version(self) -> int:
        """The server's list version this copy is at; 0 for an empty new list."""
        return self._version

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[ListedHash]:
        """The entries, by type and value."""
        return iter(sorted(self._entries.values(), key=lambda e: (e.type, e.value)))

    def __contains__(self, key: object) -> bool:
        """Whether `(type, value)` is on the list, exactly."""
        if not (isinstance(key, tuple) and len(key) == 2):
            return False
        kind, value = key
        try:
            return (kind, canonical_hash(kind, value)) in self._entries
        except (InvalidHash, AttributeError):
            return False

    def __repr__(self) -> str:
        return f"<HashList version={self._version} entries={len(self)}>"

    def check(self, kind: str, value: str) -> list[Match]:
        """The entries that the hash `value` of type `kind` matches, nearest first.

        Raises `InvalidHash` for a malformed hash or an unknown type.
        """
        return self.check_many([(kind, value)])[0]

    def check_many(self, hashes: Sequence[tuple[str, str]]) -> list[list[Match]]:
        """`check` for each `(type, value)`, in order; PDQ hashes are queried as one batch."""
        normalized = [(kind.lower(), canonical_hash(kind.lower(), v)) for kind, v in hashes]
        results: list[list[Match]] = []
        pdq_positions: list[int] = []
        for position, (kind, value) in enumerate(normalized):
            if kind == "pdq":
                pdq_positions.append(position)
                results.append([])
                continue
            entry = self._entries.get((kind, value))
            results.append([] if entry is None else [Match(entry, 0)])
        if pdq_positions:
            pdq = self._pdq_entries()
            if pdq.index is not None:
                queries = [normalized[p][1] for p in pdq_positions]
                for position, found in zip(
                    pdq_positions, pdq.index.query_batch(queries, radius=pdq.radius), strict=True
                ):
                    results[position] = pdq.matches(found)
        return results

    def check_file(self, path: str | os.PathLike[str]) -> list[Match]:
        """The entries a file matches by its MD5 and SHA-1, and by PDQ when it is an image.

        `OSError` if it cannot be read.
        """
        with open(path, "rb") as file:
            data = file.read()
        queries = []
        try:
            hashes = hash_bytes(data)
            queries = [("md5", hashes.md5), ("sha1", hashes.sha1), ("pdq", hashes.pdq_hex)]
        except NotAnImage:  # a video, say: listed by the digest of its bytes only
            queries = [
                ("md5", hashlib.md5(data, usedforsecurity=False).hexdigest()),
                ("sha1", hashlib.sha1(data, usedforsecurity=False).hexdigest()),
            ]
        found = [match for matches in self.check_many(queries) for match in matches]
        return sorted(found, key=lambda match: match.distance)

    def _pdq_entries(self) -> _PDQEntries:
        if self._pdq is None:
            self._pdq = _PDQEntries([e for e in self._entries.values() if e.type == "pdq"])
        return self._pdq

    def apply(self, delta: Mapping[str, object], *, since: int) -> None:
        """Apply the answer of `GET /api/v1/lists/hashes?since=V`; `since` is that V.

        `since` must be this list's version (`VersionMismatch` otherwise).  Removals come
        first, then additions, so an entry named in both stays with its new details.  A
        malformed delta raises `HashListError` and leaves the list as it was.
        """
        version = delta_version(delta, since=since, current=self._version)
        removed = [_key(item, "removed", n) for n, item in enumerate(_items(delta, "removed"))]
        added = _added(_items(delta, "added"))
        entries = dict(self._entries)
        for key in removed:
            entries.pop(key, None)
        for entry in added:
            entries[entry.type, entry.value] = entry
        self._entries, self._version, self._pdq = entries, version, None

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the list to `path` atomically: a reader sees the old file or the new one.

        The file is JSON: entries sharing type, category, source and threshold form a group
        whose hexadecimal values are one string, so a million entries load in a few seconds.
        """
        groups: dict[tuple[str, str, str, int], list[str]] = {}
        for kind, value, category, source, threshold in self._entries.values():
            groups.setdefault((kind, category, source, threshold), []).append(value)
        document = {
            "format": FILE_FORMAT,
            "version": self._version,
            "groups": [
                {
                    "type": kind,
                    "category": category,
                    "source": source,
                    "threshold": threshold,
                    "values": values if kind == "photodna" else "".join(values),
                }
                for (kind, category, source, threshold), values in groups.items()
            ],
        }
        text = json.dumps(document, separators=(",", ":"))  # dumps: the C encoder, unlike dump
        write_atomically(path, [text.encode()])

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> HashList:
        """Read a list written by `save`; `HashListError` if the file is not one, or damaged."""
        name = os.fspath(path)
        try:
            with open(path, encoding="utf-8") as file:
                document = json.load(file)
        except (ValueError, UnicodeDecodeError):
            raise HashListError(f"{name} is not a Turntide hash list file, or is damaged") from None
        if not isinstance(document, dict) or document.get("format") != FILE_FORMAT:
            raise HashListError(f"{name} is not a Turntide hash list file ({FILE_FORMAT})")
        hash_list = cls()
        try:
            hash_list.apply(
                {"version": document.get("version"), "removed": [], "added": []}, since=0
            )
            entries = _grouped_entries(document.get("groups"))
        except HashListError as error:
            raise HashListError(f"{name} is damaged ({error}); sync it again") from None
        hash_list._entries = {(entry.type, entry.value): entry for entry in entries}
        return hash_list


def _items(delta: Mapping[str, object], name: str) -> list[object]:
    items = delta.get(name)
    if not isinstance(items, list):
        raise HashListError(f'the delta has no "{name}" list')
    return items


def _key(item: object, name: str, number: int) -> tuple[str, str]:
    if not isinstance(item, Mapping):
        raise HashListError(f'entry {number} of "{name}" is not an object: {item!r:.100}')
    kind, value = item.get("type"), item.get("value")
    if not isinstance(kind, str) or not isinstance(value, str):
        raise HashListError(f'entry {number} of "{name}" has no "type" and "value" text')
    try:
        return kind, canonical_hash(kind, value)
    except InvalidHash as error:
        raise HashListError(f'entry {number} of "{name}": {error}') from None


_FIELDS = ("type", "value", "category", "source", "threshold")
_UPPER_HEX = "ABCDEF"

type _Row = tuple[Any, ...]  # as decoded from JSON, until `_canonical` has checked it


def _added(items: list[Any]) -> list[ListedHash]:
    """The entries of a delta's `added` list."""
    try:
        rows: list[_Row] = [
            (i["type"], i["value"], i.get("category", ""), i.get("source", ""), i.get("threshold"))
            for i in items
        ]
    except (TypeError, KeyError, AttributeError):
        return [_entry(item, n) for n, item in enumerate(items)]
    return _listed_rows(rows, items)


def _listed_rows(rows: list[_Row], items: Sequence[object] | None = None) -> list[ListedHash]:
    """Entries from (type, value, category, source, threshold) rows, as the server sends them.

    A whole list is checked at once, column by column, mostly by C code; only when that
    fails, or values need normalising, is each row checked on its own, naming the first bad
    one.
    """
    if not _canonical(rows):
        if items is None:  # rows of a saved file: name their fields for the messages
            items = [dict(zip(_FIELDS, row, strict=True)) for row in rows]
        return [_entry(item, n) for n, item in enumerate(items)]
    names: dict[str, str] = {}  # one string object per category and source name
    share = names.setdefault
    return [
        ListedHash(
            kind,
            value,
            share(category, category),
            share(source, source),
            (threshold or 0) if kind == "pdq" else 0,
        )
        for kind, value, category, source, threshold in rows
    ]


def _canonical(rows: list[_Row]) -> bool:
    """Whether every row is well formed with its hash already in its stored spelling."""
    if any(len(row) != len(_FIELDS) for row in rows):
        return False
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(_FIELDS)
    kinds, values, categories, sources, thresholds = columns
    if any(set(map(type, column)) - {str} for column in (kinds, values, categories, sources)):
        return False
    if set(map(type, thresholds)) - {int, type(None)}:
        return False
    if not all(map(_is_threshold, set(thresholds))):
        return False
    by_kind: dict[str, list[str]] = {}
    for row in rows:
        by_kind.setdefault(row[0], []).append(row[1])
    for kind, hashes in by_kind.items():
        hex_kind = _HEX_KINDS.get(kind)
        if hex_kind is None or not _canonical_hex(hashes, 2 * HASH_SIZES[hex_kind]):
            return False  # PhotoDNA, unknown types and bad values: row by row
    return True


def _is_threshold(value: object) -> bool:
    """Whether `value` is a PDQ distance (or None, for the exact types)."""
    return value is None or (type(value) is int and 0 <= value <= _MAX_THRESHOLD)


def _canonical_hex(values: list[str], width: int) -> bool:
    """Whether every value is `width` lower-case hexadecimal digits, checked all at once."""
    if set(map(len, values)) - {width}:
        return False
    joined = "".join(values)
    if not joined.isascii() or any(digit in joined for digit in _UPPER_HEX):
        return False
    try:
        return 2 * len(bytes.fromhex(joined)) == len(joined)  # fromhex would skip spaces
    except ValueError:
        return False


def _grouped_entries(groups: object) -> list[ListedHash]:
    """The entries of a saved file's groups (see `HashList.save`)."""
    if not isinstance(groups, list):
        raise HashListError('no "groups" list')
    entries: list[ListedHash] = []
    for number, group in enumerate(groups):
        if not isinstance(group, dict):
            raise HashListError(f"group {number} is not an object")
        kind, values = group.get("type"), group.get("values")
        category, source, threshold = (group.get(key) for key in _FIELDS[2:])
        hex_kind = _HEX_KINDS.get(kind) if isinstance(kind, str) else None
        if hex_kind is not None and isinstance(values, str):
            width = 2 * HASH_SIZES[hex_kind]
            values = [values[start : start + width] for start in range(0, len(values), width)]
            if (  # the common case: the group's details checked once, its values at once
                isinstance(category, str)
                and isinstance(source, str)
                and _is_threshold(threshold)
                and _canonical_hex(values, width)
            ):
                limit = threshold if kind == "pdq" and isinstance(threshold, int) else 0
                entries += [ListedHash(hex_kind, v, category, source, limit) for v in values]
                continue
        if not isinstance(values, list):
            raise HashListError(f'group {number} has no "values"')
        entries += _listed_rows([(kind, value, category, source, threshold) for value in values])
    return entries


def _entry(item: object, number: int) -> ListedHash:
    kind, value = _key(item, "added", number)
    assert isinstance(item, Mapping)  # checked by _key
    category, source = item.get("category", ""), item.get("source", "")
    threshold = item.get("threshold") or 0
    if not isinstance(category, str) or not isinstance(source, str):
        raise HashListError(f'entry {number} of "added" has a "category" or "source" not text')
    if not isinstance(threshold, int) or not 0 <= threshold <= _MAX_THRESHOLD:
        raise HashListError(
            f'entry {number} of "added" has a "threshold" outside 0..{_MAX_THRESHOLD}'
        )
    return ListedHash(kind, value, category, source, threshold if kind == "pdq" else 0)
