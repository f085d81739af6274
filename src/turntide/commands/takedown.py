"""`turntide takedown ...`: the removal work from the command line.

`check URL...` (or URLs on stdin, one per line) prints the availability of each URL as the
re-check worker sees it, `STATE HTTP_STATUS URL` with `-` for no status, in input order;
an invalid URL is `unknown - URL`, named on stderr too, and the exit status becomes 2.
`trace HOST...` prints one JSON object per host: CNAME chain, addresses, ASN, country, CDN
and the database used.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import sys
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor

from turntide.commands import INVALID_INPUT, CommandError, Subparsers, django_setup


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser("takedown", help="availability checks and hosting traces")
    actions = parser.add_subparsers(dest="takedown_command", required=True, metavar="ACTION")
    check = actions.add_parser("check", help="is each URL online, offline, redirected...?")
    check.add_argument("urls", nargs="*", help="URLs to check (default: one per line on stdin)")
    check.add_argument("--jobs", type=int, default=4, help="checks run at once (default 4)")
    check.set_defaults(handler=run_check)
    trace = actions.add_parser("trace", help="where is each host hosted? (JSON lines)")
    trace.add_argument("hosts", nargs="+")
    trace.set_defaults(handler=run_trace)
    imports = actions.add_parser("import", help="import the provider or partner directory (CSV)")
    imports.add_argument("directory", choices=["providers", "partners"])
    imports.add_argument("file", type=argparse.FileType("r", encoding="utf-8"))
    imports.set_defaults(handler=run_import)


def _lines(items: Iterable[str]) -> Iterator[str]:
    for item in items:
        if item.strip():
            yield item.strip()


def run_check(args: argparse.Namespace) -> int:
    django_setup()
    from turntide.takedown.checker import UNKNOWN, CheckerConfig, CheckResult, InvalidTarget, check

    if args.jobs < 1:
        raise CommandError("--jobs must be at least 1")
    config = CheckerConfig.from_settings()

    def one(url: str) -> CheckResult | InvalidTarget:
        try:
            return check(url, config)
        except InvalidTarget as error:
            return error

    exit_status = 0
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        # A batch at a time, so a long list on stdin is never held in memory whole.
        for batch in itertools.batched(_lines(args.urls or sys.stdin), args.jobs * 16):
            for url, outcome in zip(batch, pool.map(one, batch), strict=True):
                if isinstance(outcome, InvalidTarget):
                    print(f"turntide takedown check: {outcome}", file=sys.stderr)
                    print(f"{UNKNOWN} - {url}", flush=True)  # still one line per URL
                    exit_status = INVALID_INPUT
                    continue
                status = "-" if outcome.http_status is None else str(outcome.http_status)
                print(f"{outcome.state} {status} {outcome.url}", flush=True)
    return exit_status


def run_trace(args: argparse.Namespace) -> int:
    django_setup()
    from turntide.takedown.tracing import TraceConfig, TraceError, trace

    config = TraceConfig.from_settings()
    exit_status = 0
    for host in _lines(args.hosts):
        try:
            found = trace(host, config)
        except (TraceError, ValueError) as error:
            print(f"turntide takedown trace: {host}: {error}", file=sys.stderr)
            exit_status = INVALID_INPUT
            continue
        record = dataclasses.asdict(found)
        record["traced_at"] = found.traced_at.isoformat()
        print(json.dumps(record), flush=True)
    return exit_status


def run_import(args: argparse.Namespace) -> int:
    """Providers by AS number or partner hotlines by country, from CSV; all or nothing."""
    django_setup()
    from turntide.takedown.directory import DirectoryImportError, import_partners, import_providers

    importer = import_providers if args.directory == "providers" else import_partners
    try:
        with args.file:
            count = importer("cli", args.file)
    except DirectoryImportError as error:
        raise CommandError(str(error)) from error
    print(f"{count} {args.directory} imported")
    return 0
