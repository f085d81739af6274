"""The one way a file of rows is imported: read once, check every row, then write in chunks.

Each kind of import (`reports.importing`, `cases.importing`, `hashes.importing`) says how its
rows become items (`RowImport.check`) and how a chunk of items is written (`RowImport.write`);
this module does the rest the same way for all of them:

- the file is read once (`turntide.core.rowfiles`); checked items wait in a temporary spool;
- one invalid row stops the import, nothing written, unless `skip_invalid`;
- its SHA-256, which the audit events carry, must be the same after checking as before, or
  nothing is written; and after writing, or the import says how much it wrote;
- each chunk is one transaction, so an import cut short is finished by running it again;
- `progress(phase, rows)` hears of rows checked ("checking") and written ("importing").
"""

from __future__ import annotations

import pickle
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, TypedDict

from django.db import transaction

from turntide.audit.actions import Actor
from turntide.core.files import FileChangedDuringImport, sha256_of_file
from turntide.core.rowfiles import Row, RowError, read_rows

__all__ = ["ImportOptions", "ImportSummary", "Progress", "RowImport", "import_file"]

PROGRESS_EVERY = 1000
Progress = Callable[[str, int], None]


@dataclass
class ImportSummary:
    """What an import found in its file; each kind adds the counts of what it wrote, and
    `done`, the sentence that says them (its fields by name), which `str` completes."""

    done: ClassVar[str] = ""
    rows: int = 0
    invalid_rows: int = 0
    errors: list[RowError] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.done.format_map(vars(self))}; {self.invalid_rows} invalid rows skipped"


class ImportOptions(TypedDict, total=False):
    """What every import takes besides its actor and file."""

    skip_invalid: bool
    progress: Progress | None


class RowImport[Item](ABC):
    """One kind of import: how rows become items, and how a chunk of items is written."""

    def __init__(self, actor: Actor, summary: ImportSummary, chunk_rows: int | None) -> None:
        """`chunk_rows`: the rows a chunk holds (at least: an item is never split); None: all
        in one chunk."""
        self.actor, self.summary, self.chunk_rows = actor, summary, chunk_rows

    def read(self, path: Path) -> Iterator[Row]:
        """The file's rows; a kind with a format of its own reads that too."""
        return read_rows(path)

    @abstractmethod
    def check(self, rows: Iterator[Row]) -> Iterator[Item]:
        """The valid items, in file order; each invalid row goes to `refuse` instead."""

    @abstractmethod
    def write(self, items: list[Item], file_sha256: str) -> None:
        """Write one chunk (in a transaction the driver opens), adding to `summary`."""

    def refuse(self, errors: Sequence[RowError]) -> None:
        self.summary.invalid_rows += 1
        self.summary.errors.extend(errors)

    def rows_in(self, item: Item) -> int:
        return 1

    def to_spool(self, item: Item) -> Any:
        """What the spool keeps of an item: something that pickles fast."""
        return item

    def from_spool(self, spooled: Any) -> Item:
        return spooled  # type: ignore[no-any-return]


def import_file[Item](
    importer: RowImport[Item],
    path: Path,
    *,
    skip_invalid: bool = False,
    progress: Progress | None = None,
) -> None:
    """Check the whole file, then write it in chunks; see the module docstring.

    Raises `FileChangedDuringImport` when the file changed while it was checked (nothing
    written) or while it was written (the message says how many rows were).
    """
    summary = importer.summary
    digest = sha256_of_file(path)
    with tempfile.TemporaryFile() as spool:
        chunks = 0
        rows = _readable(importer, importer.read(path), progress)
        for items, consumed in _chunked(importer, importer.check(rows)):
            if summary.errors and not skip_invalid:
                continue  # nothing will be written: only the errors are still wanted
            spooled = [importer.to_spool(item) for item in items]
            pickle.dump((spooled, consumed), spool, protocol=pickle.HIGHEST_PROTOCOL)
            chunks += 1
        if sha256_of_file(path) != digest:
            # What was checked might not be the file the audit trail names: write nothing.
            raise FileChangedDuringImport(
                f"{path} changed while it was checked; nothing was imported; run the import"
                " again once the file is complete"
            )
        if summary.errors and not skip_invalid:
            return
        spool.seek(0)
        written = 0
        for _ in range(chunks):
            spooled, consumed = pickle.load(spool)  # noqa: S301 (our own spool, written above)
            with transaction.atomic():
                importer.write([importer.from_spool(item) for item in spooled], digest)
            written += consumed
            if progress is not None:
                progress("importing", consumed)
    if sha256_of_file(path) != digest:
        raise FileChangedDuringImport(
            f"{path} changed while it was being imported (its SHA-256 is no longer {digest});"
            f" {written} rows were imported as it was read before the change; check the file"
            " and run the import again: rows already imported are not duplicated"
        )


def _readable[Item](
    importer: RowImport[Item], rows: Iterable[Row], progress: Progress | None
) -> Iterator[Row]:
    """The rows that could be read, counted; the others refused."""
    summary = importer.summary
    for row in rows:
        summary.rows += 1
        if progress is not None and summary.rows % PROGRESS_EVERY == 0:
            progress("checking", PROGRESS_EVERY)
        if row.problem:
            importer.refuse([RowError(row.line, "", row.problem)])
        else:
            yield row
    if progress is not None:
        progress("checking", summary.rows % PROGRESS_EVERY)


def _chunked[Item](
    importer: RowImport[Item], items: Iterator[Item]
) -> Iterator[tuple[list[Item], int]]:
    """Whole items in chunks of about `chunk_rows` rows, with the rows each chunk holds."""
    chunk: list[Item] = []
    rows = 0
    for item in items:
        chunk.append(item)
        rows += importer.rows_in(item)
        if importer.chunk_rows is not None and rows >= importer.chunk_rows:
            yield chunk, rows
            chunk, rows = [], 0
    if chunk:
        yield chunk, rows
