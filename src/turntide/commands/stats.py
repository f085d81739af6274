"""`turntide stats annual --year YYYY [--compare-to YYYY] [--format json|csv|table]`."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from typing import TYPE_CHECKING

from turntide.commands import CommandError, Subparsers, django_setup

if TYPE_CHECKING:
    from turntide.insights.figures import AnnualFigures


def year(text: str) -> int:
    if not text.isdigit() or not 1900 <= int(text) <= 9998:
        raise argparse.ArgumentTypeError(f"{text!r} is not a year (YYYY)")
    return int(text)


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser("stats", help="statistics")
    kinds = parser.add_subparsers(dest="stats_kind", required=True, metavar="KIND")
    annual = kinds.add_parser("annual", help="a year's headline figures")
    annual.add_argument("--year", type=year, required=True)
    annual.add_argument("--compare-to", type=year, help="an earlier year to compare with")
    annual.add_argument("--format", choices=("json", "csv", "table"), default="table")
    annual.set_defaults(handler=run_annual)


def flat(figures: AnnualFigures) -> dict[str, object]:
    """One level of keys: `by_category` becomes `category_A`, `category_B`, `category_C`."""
    row = {key: value for key, value in figures.items() if key != "by_category"}
    row.update({f"category_{name}": n for name, n in figures["by_category"].items()})
    return row


def run_annual(args: argparse.Namespace) -> int:
    if args.compare_to is not None and args.compare_to >= args.year:
        raise CommandError("--compare-to must be an earlier year")
    django_setup()
    from turntide.insights.statistics import annual

    figures = annual(args.year, compare_to=args.compare_to)
    if args.format == "json":
        print(json.dumps(figures, indent=2))
        return 0
    row = flat(figures)
    if args.format == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=list(row), lineterminator="\n")
        writer.writeheader()
        writer.writerow({key: "" if value is None else value for key, value in row.items()})
        return 0
    width = max(len(key) for key in row)
    for key, value in row.items():
        print(f"{key:<{width}}  {'n/a' if value is None else value:>10}")
    return 0
