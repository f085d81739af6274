"""`turntide import reports|assessments FILE`: bulk imports, validated, with a progress bar."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from turntide.commands import CommandError, Subparsers, django_setup

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

    if not args.file.is_file():
        raise CommandError(f"no such file: {args.file}")
    summary = with_progress(
        lambda progress: import_reports(
            "cli", args.file, skip_invalid=args.skip_invalid, progress=progress
        ),
    )
    if refused(args, summary.errors, summary.invalid_rows):
        return 1
    print(
        f"imported {summary.reports} reports ({summary.urls} URLs); "
        f"{summary.already_imported} already imported; {summary.invalid_rows} invalid rows skipped"
    )
    return 0


def with_progress[Summary](run_import: Callable[[Callable[[str, int], None]], Summary]) -> Summary:
    """Run an import under progress bars; a file changed under it stops the command (exit 1)."""
    from turntide.core.files import FileChangedDuringImport

    try:
        with progress_bars() as progress:
            return run_import(progress)
    except FileChangedDuringImport as error:
        raise CommandError(str(error), status=1) from error


@contextmanager
def progress_bars() -> Iterator[Callable[[str, int], None]]:
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


def refused(args: argparse.Namespace, errors: Sequence[object], invalid_rows: int) -> bool:
    """Show the first errors by line and column; True when they stop the import."""
    for error in errors[:MAX_ERRORS_SHOWN]:
        print(f"{args.file}: {error}", file=sys.stderr)
    if len(errors) > MAX_ERRORS_SHOWN:
        print(f"... and {len(errors) - MAX_ERRORS_SHOWN} more errors", file=sys.stderr)
    if errors and not args.skip_invalid:
        print(
            f"nothing imported: {invalid_rows} invalid rows (fix them, or use --skip-invalid)",
            file=sys.stderr,
        )
        return True
    return False


def run_assessments(args: argparse.Namespace) -> int:
    django_setup()
    from turntide.cases.importing import import_assessments

    if not args.file.is_file():
        raise CommandError(f"no such file: {args.file}")
    summary = with_progress(
        lambda progress: import_assessments(
            "cli", args.file, skip_invalid=args.skip_invalid, progress=progress
        ),
    )
    if refused(args, summary.errors, summary.invalid_rows):
        return 1
    print(
        f"imported {summary.imported} assessed URLs; {summary.already_present} already present; "
        f"{summary.invalid_rows} invalid rows skipped"
    )
    return 0
