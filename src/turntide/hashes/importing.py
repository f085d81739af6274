"""Importing a partner's hash set: CSV, JSON, JSON Lines, or the output of `turntide hash`.

Every row is checked first and errors are named by line; nothing is listed while any row is
invalid, unless the caller skips invalid rows. Then all valid rows join the list in one version.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from turntide.audit.actions import Actor
from turntide.core.hashing import InvalidHash
from turntide.hashes.actions import NewHash, checked_hash, do_add_hashes
from turntide.hashes.models import HashSource

CSV_COLUMNS = ("type", "value", "category", "quality")
HASH_TOOL_FIELDS = 5  # `turntide hash`: md5, sha1, pdq_hex, pdq_quality, path


class ImportFormatError(ValueError):
    """The file is in none of the accepted formats."""


@dataclass
class ImportSummary:
    rows: int = 0
    added: int = 0
    already_listed: int = 0
    kept_off: int = 0
    version: int = 0
    errors: list[str] = field(default_factory=list)


Row = dict[str, Any]


def _rows(text: str) -> Iterator[tuple[int, Row | str]]:
    """(line number, row) for each entry; a row that cannot be read is its error message."""
    start = text.lstrip()
    if start.startswith("["):
        try:
            items = json.loads(text)
        except json.JSONDecodeError as error:
            raise ImportFormatError(f"line {error.lineno}: malformed JSON: {error.msg}") from None
        for number, item in enumerate(items, start=1):
            yield number, item if isinstance(item, dict) else "not a JSON object"
    elif start.startswith("{"):
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    item = json.loads(line)
                except json.JSONDecodeError as error:
                    yield number, f"malformed JSON: {error.msg}"
                    continue
                yield number, item if isinstance(item, dict) else "not a JSON object"
    elif _is_hash_tool_output(start):
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                yield number, _hash_tool_row(line)
    else:
        reader = csv.DictReader(io.StringIO(text))
        missing = {"type", "value"} - set(reader.fieldnames or ())
        if missing:
            raise ImportFormatError(
                "a CSV file needs a header with the columns type and value "
                f"(and optionally category, quality); missing: {', '.join(sorted(missing))}"
            )
        for row in reader:
            yield reader.line_num, row


def _is_hash_tool_output(text: str) -> bool:
    fields = text.split("\n", 1)[0].split("\t")
    return len(fields) == HASH_TOOL_FIELDS and len(fields[0].strip()) == 32


def _hash_tool_row(line: str) -> Row | str:
    fields = line.rstrip("\r\n").split("\t")
    if len(fields) != HASH_TOOL_FIELDS:
        return f"expected {HASH_TOOL_FIELDS} tab-separated fields as `turntide hash` prints"
    md5, sha1, pdq, quality, _path = fields  # the file's name is not kept
    return {"hashes": [("md5", md5, None), ("sha1", sha1, None), ("pdq", pdq, quality)]}


def _quality(value: object) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise InvalidHash("quality must be a whole number from 0 to 100")
    try:
        return int(str(value).strip())
    except ValueError:
        raise InvalidHash(f"quality {value!r:.20} is not a whole number") from None


def _checked(row: Row, default_category: str) -> list[NewHash]:
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


def import_hashes(
    actor: Actor,
    path: Path,
    source: HashSource,
    *,
    default_category: str = "",
    skip_invalid: bool = False,
) -> ImportSummary:
    """Import a partner set into `source`; see the module docstring for the formats."""
    summary = ImportSummary()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFormatError(f"the file is not UTF-8 text (byte {error.start})") from None
    valid: list[NewHash] = []
    for number, row in _rows(text):
        summary.rows += 1
        if isinstance(row, str):
            summary.errors.append(f"line {number}: {row}")
            continue
        try:
            valid.extend(_checked(row, default_category))
        except InvalidHash as error:
            summary.errors.append(f"line {number}: {error}")
    if summary.errors and not skip_invalid:
        return summary
    with transaction.atomic():
        added = do_add_hashes(actor, source, valid)
    summary.added, summary.already_listed = added.added, added.already_listed
    summary.kept_off, summary.version = added.kept_off, added.version
    return summary
