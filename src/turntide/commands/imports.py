"""`turntide import reports|assessments FILE`: bulk imports, validated, with a progress bar.

`import_command` is the one way any `turntide ... import FILE` command runs an import
(`turntide hashes import` too).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, Unpack

from turntide.commands import CommandError, Subparsers, django_setup

if TYPE_CHECKING:
    from turntide.importing import ImportOptions, ImportSummary, Progress

MAX_ERRORS_SHOWN = 20


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser("import", help="bulk imports")
    kinds = parser.add_subparsers(dest="import_kind", required=True, metavar="KIND")
    reports = kinds.add_parser("reports", help="import reports from CSV or JSON Lines")
    reports.add_argument("file", type=Path)
    reports.add_argument(
        "--skip-invalid", action="store_true", help="import the valid rows, report the rest"
    )
    reports.set_defaults(handler=run_reports)
    assessments = kinds.add_parser(
        "assessments", help="import judged URLs (historical assessments) from CSV or JSON Lines"
    )
    assessments.add_argument("file", type=Path)
    assessments.add_argument(
        "--skip-invalid", action="store_true", help="import the valid rows, report the rest"
    )
    assessments.set_defaults(handler=run_assessments)


def run_reports(args: argparse.Namespace) -> int:
    django_setup()
    from turntide.reports.importing import import_reports

    return import_command(args, import_reports)


def run_assessments(args: argparse.Namespace) -> int:
    django_setup()
    from turntide.cases.importing import import_assessments

    return import_command(args, import_assessments)


class FileImport[Summary: "ImportSummary"](Protocol):
    def __call__(self, actor: str, path: Path, **options: Unpack[ImportOptions]) -> Summary: ...


def import_command[Summary: "ImportSummary"](
    args: argparse.Namespace, run: FileImport[Summary]
) -> int:
    """Every `turntide ... import FILE [--skip-invalid]`: run the import under progress bars,
    show the first errors by line and column, and say what was done (the summary) or refused.

    Exit 0 when imported, 1 when refused for invalid rows or a file changed under it, 2 when the
    file is missing or cannot be read as rows at all.
    """
    from turntide.core.files import FileChangedDuringImport
    from turntide.core.rowfiles import UnreadableFile

    if not args.file.is_file():
        raise CommandError(f"no such file: {args.file}")
    try:
        with progress_bars() as progress:
            summary = run("cli", args.file, skip_invalid=args.skip_invalid, progress=progress)
    except UnreadableFile as error:
        raise CommandError(f"{args.file}: {error}") from error
    except FileChangedDuringImport as error:
        raise CommandError(str(error), status=1) from error
    for problem in summary.errors[:MAX_ERRORS_SHOWN]:
        print(f"{args.file}: {problem}", file=sys.stderr)
    if len(summary.errors) > MAX_ERRORS_SHOWN:
        print(f"... and {len(summary.errors) - MAX_ERRORS_SHOWN} more errors", file=sys.stderr)
    if summary.errors and not args.skip_invalid:
        print(
            f"nothing imported: {summary.invalid_rows} invalid rows "
            "(fix them, or use --skip-invalid)",
            file=sys.stderr,
        )
        return 1
    print(summary)
    return 0


@contextmanager
def progress_bars() -> Iterator[Progress]:
    """progress(phase, rows): one bar per phase (checking, then writing), on a terminal only."""
    from tqdm import tqdm

    bars: dict[str, tqdm[None]] = {}

    def progress(phase: str, rows: int) -> None:
        if phase not in bars:
            for bar in bars.values():
                bar.close()
            bars[phase] = tqdm(
                desc=phase, unit=" rows", disable=not sys.stderr.isatty(), file=sys.stderr
            )
        bars[phase].update(rows)

    try:
        yield progress
    finally:
        for bar in bars.values():
            bar.close()
