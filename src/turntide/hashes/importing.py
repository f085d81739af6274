"""Importing a partner's hash set: CSV, JSON, JSON Lines, or the output of `turntide hash`.

Every row is checked first and errors are named by line; nothing is listed while any row is
invalid, unless the caller skips invalid rows. Then all valid rows join the list in one version
(`turntide.importing`, with the whole file as one chunk).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Unpack

from turntide.audit.actions import Actor
from turntide.core.hashing import InvalidHash
from turntide.core.rowfiles import Row, RowError, numbered_lines, read_rows
from turntide.hashes.actions import NewHash, checked_hash, do_add_hashes
from turntide.hashes.models import HashSource
from turntide.importing import ImportOptions, ImportSummary, RowImport, import_file
from turntide.lists.models import HASH_LIST
from turntide.lists.versions import current_version

HASH_TOOL_FIELDS = 5  # `turntide hash`: md5, sha1, pdq_hex, pdq_quality, path


@dataclass
class HashesImported(ImportSummary):
    """`kept_off`: hashes withdrawn before as harmless, which an import does not list again."""

    done = (
        "list version {version}: {added} hashes added, {already_listed} already listed, "
        "{kept_off} kept off (withdrawn before as harmless)"
    )
    added: int = 0
    already_listed: int = 0
    kept_off: int = 0
    version: int = 0


def _is_hash_tool_output(path: Path) -> bool:
    first = next((line for _number, line in numbered_lines(path) if line.strip()), "")
    fields = first.split("\t")
    return len(fields) == HASH_TOOL_FIELDS and len(fields[0].strip()) == 32


def _hash_tool_rows(path: Path) -> Iterator[Row]:
    for number, line in numbered_lines(path):
        fields = line.rstrip("\r\n").split("\t")
        if not line.strip():
            continue
        if len(fields) != HASH_TOOL_FIELDS:
            expected = f"expected {HASH_TOOL_FIELDS} tab-separated fields as `turntide hash` prints"
            yield Row(number, {}, expected)
            continue
        md5, sha1, pdq, quality, _path = fields  # the file's name is not kept
        hashes = [("md5", md5, None), ("sha1", sha1, None), ("pdq", pdq, quality)]
        yield Row(number, {"hashes": hashes})


def _quality(value: object) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise InvalidHash("quality must be a whole number from 0 to 100")
    try:
        return int(str(value).strip())
    except ValueError:
        raise InvalidHash(f"quality {value!r:.20} is not a whole number") from None


def _checked(row: dict[str, Any], default_category: str) -> list[NewHash]:
    category = row.get("category") or default_category
    if not isinstance(category, str):
        raise InvalidHash("category must be text: A, B, C or empty")
    triples = row.get("hashes") or [(row.get("type"), row.get("value"), row.get("quality"))]
    checked = []
    for kind, value, quality in triples:
        if not isinstance(kind, str) or not isinstance(value, str):
            raise InvalidHash("each entry needs a type and a value")
        checked.append(checked_hash(kind, value, category=category, quality=_quality(quality)))
    return checked


class HashSetImport(RowImport[list[NewHash]]):
    """The hashes of each valid row; all of them listed in one version."""

    summary: HashesImported

    def __init__(self, actor: Actor, source: HashSource, default_category: str) -> None:
        super().__init__(actor, HashesImported(), chunk_rows=None)  # one list version
        self.source, self.default_category = source, default_category

    def read(self, path: Path) -> Iterator[Row]:
        if _is_hash_tool_output(path):
            return _hash_tool_rows(path)
        return read_rows(path, required=("type", "value"))

    def check(self, rows: Iterator[Row]) -> Iterator[list[NewHash]]:
        for row in rows:
            try:
                yield _checked(row.fields, self.default_category)
            except InvalidHash as error:
                self.refuse([RowError(row.line, "", str(error))])

    def write(self, items: list[list[NewHash]], file_sha256: str) -> None:
        added = do_add_hashes(self.actor, self.source, [new for row in items for new in row])
        self.summary.added, self.summary.already_listed = added.added, added.already_listed
        self.summary.kept_off, self.summary.version = added.kept_off, added.version


def import_hashes(
    actor: Actor,
    path: Path,
    source: HashSource,
    *,
    default_category: str = "",
    **options: Unpack[ImportOptions],
) -> HashesImported:
    """Import a partner set into `source`; see the module docstring for the formats."""
    importer = HashSetImport(actor, source, default_category)
    import_file(importer, path, **options)
    importer.summary.version = importer.summary.version or current_version(HASH_LIST)
    return importer.summary
