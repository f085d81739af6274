"""The member-side URL list: a compact, versioned set of hashed lookup expressions.

Members receive the URL list as SHA-256 hashes of Safe Browsing lookup expressions
(`GET /api/v1/lists/urls?since=V`) and check the URLs they see against it.  A URL matches when
the hash of any of its expressions (`turntide.core.urls.expressions`) is on the list, so an
entry for `example.test/` matches every page of that host and of its subdomains, and one for
`a.example.test/dir/` every page in that folder.  The entries live in one sorted block of
32-byte hashes with two small indexes beside it; docs/url-list-checker.md describes the
structure, the file format of `save` and `load`, and the measured speed.

>>> from hashlib import sha256
>>> def entry(expression):
...     return {"sha256": sha256(expression.encode()).hexdigest()}
>>> urls = URLList.from_snapshot({
...     "version": 3, "psl_version": "none", "removed": [],
...     "added": [entry("example.test/"), entry("a.example.com/dir/")],
... })
>>> urls.check("https://www.Example.TEST/any/page?x=1"), urls.check("a.example.com/dir/1.jpg")
(True, True)
>>> urls.check("http://a.example.com/other"), urls.check("javascript:alert(1)")
(False, False)
>>> urls.match("http://example.test/a#top") == entry("example.test/")["sha256"]
True
>>> urls.check_many(["example.test", "example.com", ""])
[True, False, False]
>>> delta = {"version": 4, "psl_version": "none", "added": [], "removed": [entry("example.test/")]}
>>> urls.apply(delta, since=3)
>>> urls.version, len(urls), urls.check("https://example.test/")
(4, 1, False)
>>> urls.apply({"version": 6, "psl_version": "none", "added": [], "removed": []}, since=5)
Traceback (most recent call last):
    ...
turntide.core.deltas.VersionMismatch: this delta was fetched with since=5 but the list is at \
version 4; fetch ?since=4 instead
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterable, Iterator, Mapping
from operator import itemgetter

from turntide.core._hashtable import (
    EMPTY,
    SHARED,
    SIZE,
    HashTable,
    from_bytes,
    hmac_digest,
    sha256,
)
from turntide.core.deltas import ListError, VersionMismatch, delta_version
from turntide.core.files import write_atomically
from turntide.core.urls import InvalidURL, expressions

__all__ = ["FILE_FORMAT", "FILE_MAGIC", "URLList", "URLListError", "VersionMismatch"]

FILE_MAGIC = b"TTURLLST"
"""First eight bytes of a file written by `URLList.save`."""

FILE_FORMAT = 2
"""Format number written by `URLList.save`; `URLList.load` reads it and format 1 (unkeyed)."""

_HEADER = struct.Struct(">8sHHQQ")  # magic, format, psl_version length, version, count
_FLAGS = struct.Struct(">B")  # format 2: bit 0 set for a keyed list
_KEYED = 1
_get_sha256 = itemgetter("sha256")
_HEX_DIGITS = "0123456789abcdefABCDEF"


URLListError = ListError
"""A delta, snapshot or list file that cannot be used (`VersionMismatch` among them)."""


class URLList:
    """The URL list of one member: built from a snapshot, kept current by deltas.

    `check(url)` answers whether any lookup expression of `url` is on the list; invalid input
    is not on it, and no check raises.  `apply(delta, since=V)` takes the answer of
    `GET /api/v1/lists/urls?since=V`; `save` and `load` keep a local copy between runs.
    """

    __slots__ = ("_key", "_keyed", "_table")

    def __init__(self) -> None:
        """An empty list at version 0, to which the whole list applies as the delta since 0."""
        self._table = EMPTY
        self._keyed = False
        self._key: bytes | None = None

    @property
    def keyed(self) -> bool:
        """Whether the entries are HMAC-SHA256 under the member's list key (`"keyed": true`
        in the server's answer) rather than plain SHA-256; checks then need `use_key`."""
        return self._keyed

    def use_key(self, key: bytes) -> None:
        """The member's list key, for checking a keyed list; it is never saved with it."""
        if not key:
            raise URLListError("the list key is empty")
        self._key = key

    def _checking_key(self) -> bytes | None:
        if not self._keyed:
            return None
        if self._key is None:
            raise URLListError("this list is keyed: give your organisation's list key first")
        return self._key

    @classmethod
    def from_snapshot(cls, snapshot: Mapping[str, object]) -> URLList:
        """The list from the answer of `GET /api/v1/lists/urls` (whole list, `since` 0)."""
        url_list = cls()
        url_list.apply(snapshot, since=0)
        return url_list

    @property
    def version(self) -> int:
        """The server's list version this copy is at; 0 for an empty new list."""
        return self._table.version

    @property
    def psl_version(self) -> str:
        """The `psl_version` of the last snapshot or delta applied; empty before any."""
        return self._table.psl_version

    @property
    def nbytes(self) -> int:
        """Bytes held by the entries and their indexes (the Python objects around them aside)."""
        table = self._table
        prefixes = table.prefixes
        return len(table.hashes) + len(prefixes) * prefixes.itemsize + len(table.marks)

    def __len__(self) -> int:
        return len(self._table.prefixes)

    def __contains__(self, sha256: object) -> bool:
        """Whether an entry is on the list, given as 64 hexadecimal digits or 32 bytes."""
        if isinstance(sha256, str):
            if len(sha256) != 2 * SIZE:
                return False
            try:
                sha256 = bytes.fromhex(sha256)
            except ValueError:
                return False
        if not isinstance(sha256, bytes) or len(sha256) != SIZE:
            return False
        return self._table.find(sha256) >= 0

    def __iter__(self) -> Iterator[str]:
        """The entries as lower-case hexadecimal, in ascending order."""
        hashes = self._table.hashes
        return (hashes[i : i + SIZE].hex() for i in range(0, len(hashes), SIZE))

    def __repr__(self) -> str:
        table = self._table
        return (
            f"<URLList version={table.version} entries={len(self)} "
            f"psl_version={table.psl_version!r}>"
        )

    def check(self, url: str) -> bool:
        """Whether any lookup expression of `url` is on the list; False for invalid input."""
        return self._table.first_match(url, self._checking_key()) >= 0

    def match(self, url: str) -> str | None:
        """The entry (hexadecimal) that `url` matches, most specific expression first, or None.

        For logs: the hash says which entry blocked an address without naming the address.
        """
        table = self._table
        index = table.first_match(url, self._checking_key())
        return None if index < 0 else table.hashes[index * SIZE : (index + 1) * SIZE].hex()

    def check_many(self, urls: Iterable[str]) -> list[bool]:
        """`check` for each URL, in order; the fast path for batches such as a day's log."""
        table, key = self._table, self._checking_key()
        if not table.prefixes:
            return [False for _ in urls]
        search, marks, shift = table.search, table.marks, table.shift
        results: list[bool] = []
        append = results.append
        for url in urls:
            try:
                candidates = expressions(url)
            except InvalidURL:
                append(False)
                continue
            for expression in candidates:  # first_match, inlined
                encoded = expression.encode()
                digest = (
                    sha256(encoded).digest() if key is None else hmac_digest(key, encoded, "sha256")
                )
                mark = marks[from_bytes(digest[:3]) >> shift]
                if mark and (mark == digest[3] | 1 or mark == SHARED) and search(digest) >= 0:
                    append(True)
                    break
            else:
                append(False)
        return results

    def apply(self, delta: Mapping[str, object], *, since: int) -> None:
        """Apply the answer of `GET /api/v1/lists/urls?since=V`; `since` is that V.

        `since` must be this list's version, or the delta would skip or repeat changes
        (`VersionMismatch`).  Removals come first, then additions, so an entry named in both
        stays; removing an absent entry and adding a present one change nothing.  A delta
        that is malformed, or that would take the version backwards, raises `URLListError`
        and leaves the list as it was.
        """
        table = self._table
        version = delta_version(
            delta, since=since, current=table.version, fields="version, psl_version, added, removed"
        )
        psl_version = delta.get("psl_version")
        if not isinstance(psl_version, str):
            raise URLListError('the delta has no "psl_version" text')
        keyed = delta.get("keyed", False)
        if not isinstance(keyed, bool):
            raise URLListError('the delta\'s "keyed" must be true or false')
        if since and keyed != self._keyed:
            raise URLListError(
                "the server now sends this list "
                + ("keyed" if keyed else "unkeyed")
                + "; start again from the whole list (since=0)"
            )
        added = _hashes(delta.get("added"), "added")
        removed = _hashes(delta.get("removed"), "removed")
        self._table = table.changed(version, psl_version, added, removed)
        self._keyed = keyed

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the list to `path` atomically: a reader sees the old file or the new one."""
        table = self._table
        psl = table.psl_version.encode()
        if len(psl) > 0xFFFF:
            raise URLListError("the psl_version is too long to save (over 65535 bytes)")
        header = _HEADER.pack(FILE_MAGIC, FILE_FORMAT, len(psl), table.version, len(self))
        flags = _FLAGS.pack(_KEYED if self._keyed else 0)
        parts = [header, psl, flags, table.hashes]
        checksum = sha256()
        for part in parts:
            checksum.update(part)
        parts.append(checksum.digest())
        write_atomically(path, parts)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> URLList:
        """Read a list written by `save`; `URLListError` if the file is not one, or damaged."""
        with open(path, "rb") as file:
            header = file.read(_HEADER.size)
            if len(header) < _HEADER.size or header[:8] != FILE_MAGIC:
                raise URLListError(f"{os.fspath(path)} is not a Turntide URL list file")
            _magic, file_format, psl_length, version, count = _HEADER.unpack(header)
            if file_format not in (1, FILE_FORMAT):
                raise URLListError(
                    f"{os.fspath(path)} is in URL list file format {file_format}; "
                    f"this version of Turntide reads formats 1 to {FILE_FORMAT}"
                )
            flags_size = _FLAGS.size if file_format >= 2 else 0
            size = _HEADER.size + psl_length + flags_size + count * SIZE + SIZE
            if os.fstat(file.fileno()).st_size != size:
                raise URLListError(f"{os.fspath(path)} is damaged or cut short; sync it again")
            psl = file.read(psl_length)
            flags = file.read(flags_size)
            hashes = file.read(count * SIZE)
            stored_checksum = file.read(SIZE)
        checksum = sha256(header)
        for part in (psl, flags, hashes):
            checksum.update(part)
        if checksum.digest() != stored_checksum:
            raise URLListError(f"{os.fspath(path)} is damaged or cut short; sync it again")
        try:
            psl_version = psl.decode()
        except UnicodeDecodeError:
            raise URLListError(f"{os.fspath(path)} has a psl_version that is not UTF-8") from None
        table = HashTable.build(version, psl_version, hashes)
        if not table.is_ordered():
            raise URLListError(f"{os.fspath(path)} has entries out of order or repeated")
        url_list = cls()
        url_list._table = table
        url_list._keyed = bool(flags and _FLAGS.unpack(flags)[0] & _KEYED)
        return url_list


def _hashes(entries: object, name: str) -> list[str]:
    """The hashes of a delta's `added` or `removed` entries, as lower-case hexadecimal."""
    if not isinstance(entries, list | tuple):
        raise URLListError(f'the delta has no "{name}" list')
    try:
        digits = list(map(_get_sha256, entries))
        joined = "".join(digits)
        if set(map(len, digits)) - {2 * SIZE} or not joined.isascii():
            raise ValueError
        others = joined.encode().translate(None, b"0123456789abcdef")
    except (TypeError, KeyError, ValueError):
        raise URLListError(_first_bad_entry(entries, name)) from None
    if others:
        if others.translate(None, b"ABCDEF"):
            raise URLListError(_first_bad_entry(entries, name))
        digits = [h.lower() for h in digits]
    return digits


def _first_bad_entry(entries: list[object] | tuple[object, ...], name: str) -> str:
    for number, entry in enumerate(entries):
        digits = entry.get("sha256") if isinstance(entry, Mapping) else None
        if not (
            isinstance(digits, str)
            and len(digits) == 2 * SIZE
            and all(c in _HEX_DIGITS for c in digits)
        ):
            return (
                f'entry {number} of "{name}" has no "sha256" of 64 hexadecimal digits: '
                f"{entry!r:.100}"
            )
    return f'the "{name}" entries are not valid'  # not reached: some entry failed above
