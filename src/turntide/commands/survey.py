"""`turntide survey estimate FILE ...`: weighted estimates with intervals from survey microdata.

A thin layer over `turntide.core.surveydata`, without Django: researchers run it on a laptop
beside R or Stata, and its numbers are R `survey`'s (see README, "Survey estimates").
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

from turntide.commands import CommandError, Subparsers
from turntide.core.survey import LONELY_PSU, SurveyError
from turntide.core.surveydata import (
    FIELDS,
    Request,
    Result,
    Statistic,
    estimate,
    parse_margin,
    read_survey,
)

# Options passed to `Request` as they are, by the same name.
REQUEST_OPTIONS = ("weight", "strata", "cluster", "fpc", "rake", "by", "lonely_psu")


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser("survey", help="design-based estimates from survey files")
    actions = parser.add_subparsers(dest="survey_command", required=True, metavar="ACTION")
    run = actions.add_parser(
        "estimate",
        help="a weighted mean, total or proportion with its standard error, 95%% interval "
        "and design effect, from a CSV, SPSS .sav or Stata .dta file",
    )
    run.add_argument("file", metavar="FILE", type=Path)
    run.add_argument("--weight", metavar="C", help="column of sampling weights")
    run.add_argument("--strata", metavar="C", help="column of strata")
    run.add_argument("--cluster", metavar="C", help="column of clusters (PSUs)")
    run.add_argument(
        "--fpc",
        metavar="C",
        help="column of the stratum's population size (of PSUs, for a cluster design)",
    )
    run.add_argument(
        "--rake",
        metavar="VAR:VALUE=TOTAL,VALUE=TOTAL",
        action="append",
        type=margin,
        default=[],
        help="rake the weights to this population margin (repeatable)",
    )
    wanted = run.add_mutually_exclusive_group(required=True)
    wanted.add_argument("--mean", metavar="C")
    wanted.add_argument("--total", metavar="C")
    wanted.add_argument("--proportion", metavar="C=VALUE")
    run.add_argument("--by", metavar="C", help="one estimate per category of this column")
    run.add_argument(
        "--lonely-psu",
        choices=LONELY_PSU,
        default="fail",
        help="a stratum with one PSU: fail (default), remove, certainty or adjust, as R's option",
    )
    run.add_argument("--format", choices=("json", "csv", "table"), default="table")
    run.set_defaults(handler=run_estimate)


def margin(text: str) -> tuple[str, dict[str, float]]:
    """`sex:girl=5100,boy=4900` to `("sex", {"girl": 5100.0, "boy": 4900.0})`."""
    try:
        return parse_margin(text)
    except SurveyError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def wanted(args: argparse.Namespace) -> tuple[Statistic, str, str | None]:
    """The statistic asked for, its column and, for a proportion, the value counted."""
    if args.proportion is None:
        return ("mean", args.mean, None) if args.mean is not None else ("total", args.total, None)
    column, equals, value = args.proportion.partition("=")
    if not equals:
        raise CommandError(f"--proportion {args.proportion!r}: expected COLUMN=VALUE")
    return "proportion", column, value


def run_estimate(args: argparse.Namespace) -> int:
    options = {name: getattr(args, name) for name in REQUEST_OPTIONS}
    request = Request(*wanted(args), **options)
    try:
        result = estimate(read_survey(args.file), request)
    except SurveyError as error:
        raise CommandError(f"{args.file}: {error}") from None
    WRITERS[args.format](result)
    return 0


def write_json(result: Result) -> None:
    print(json.dumps({"estimates": result.rows, "design": result.design}, indent=2))


def write_csv(result: Result) -> None:
    writer = csv.DictWriter(sys.stdout, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(result.rows)


def write_table(result: Result) -> None:
    cells = [[_cell(row[key]) for key in FIELDS] for row in result.rows]
    widths = [max(len(key), *(len(line[i]) for line in cells)) for i, key in enumerate(FIELDS)]
    for line in [list(FIELDS), *cells]:
        print("  ".join(text.rjust(width) for text, width in zip(line, widths, strict=True)))


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


WRITERS = {"json": write_json, "csv": write_csv, "table": write_table}
