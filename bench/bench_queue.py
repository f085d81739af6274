"""The analyst queue and the search over every case at a hotline's scale, on PostgreSQL.

    DATABASE_URL=postgres://... uv run python bench/bench_queue.py [--decided 1000000]
        [--open 50000] [--repeat 7] [--explain]

Loads --decided judged URLs as `turntide import assessments` stores them (decided cases,
each with its standing judgement, no reports), generated inside PostgreSQL in about six
minutes (the import itself managed 220 rows/s on the busy 2-core machine: over an hour), and
--open reported URLs through `turntide import reports` (open cases, a tenth of them reported
twice, some passed on to verification or disputed), on about 20,000 registrable domains of
four hosts each; a database that holds them already is used as it is (after VACUUM ANALYZE,
as autovacuum keeps a database in use).

Then times, in this process, the queue page as an analyst gets it (Django's test client
against the real views and middleware: server time, without the network), median of --repeat
runs after two warm-up runs: the default queue, `?status=new`, each sortable column both
ways, page 200 of the queue, and a search by a case code, a report reference, a full URL (in
another spelling), a host and a registrable domain. Goal (issue 15): each under 200 ms; every
figure is printed with its ratio to that goal.

The benchmark migrates the database it is given and adds cases to it: point it at a scratch
database. All URLs are on reserved names.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from scratch import judged_case, migrated_scratch_database, staff_client

GOAL_MS = 200.0
DOMAINS = 20_011
HOSTS = ("www", "img", "cdn", "files")
COUNTRIES = ("NL", "US", "US", "BG", "RO", "RU", "SK", "HK", "FR", "DE")
NOW = datetime.now(UTC).replace(microsecond=0)


def url_of(number: int, kind: str) -> str:
    """The number-th URL of a kind, on host HOSTS[...] of domain site<n>.example."""
    host = HOSTS[number // DOMAINS % len(HOSTS)]
    return f"http://{host}.site{number % DOMAINS}.example/{kind}/{number}.html"


# One judged URL per n: three years back, 70% criminal and nine in ten of those removed; what
# `turntide import assessments` stores for it (cases.importing), computed by PostgreSQL.
JUDGED = f"""FROM (SELECT n, k, e, at, c, c AND random() < 0.9 AS removed, random() AS r
  FROM (SELECT n, e, encode(sha256(convert_to(e, 'UTF8')), 'hex') AS k, random() < 0.7 AS c,
      now() - make_interval(secs => 9 * 86400 + random() * 3 * 365 * 86400) AS at
    FROM (SELECT n, (ARRAY{list(HOSTS)})[n / {DOMAINS} %% 4 + 1] || '.site' || n %% {DOMAINS}
        || '.example/judged/' || n || '.html' AS e FROM generate_series(%s, %s) AS n) AS g
  ) AS h) AS j WHERE true"""  # noqa: S608 (constants only)
CASE = judged_case(
    f"(ARRAY{list(COUNTRIES)})[floor(r * {len(COUNTRIES)})::int + 1]",
    "at + make_interval(hours => (r * 200)::int + 1)",
    "bench",
)
JUDGEMENT = {
    "code": "'A-' || upper(substr(url_key, 17, 16))",
    "case_id": "id",
    "assessed_at": "created_at",
    "outcome": "CASE WHEN actioned_at IS NULL THEN 'not_illegal' ELSE 'criminal' END",
    "category": "CASE WHEN actioned_at IS NULL THEN '' ELSE (ARRAY['A','B','C','C'])[id %% 4 + 1]"
    " END",
    "hosting_country": "hosting_country",
    "kind": "'initial'",
    "decisive": "true",
}


def add_judged(count: int, first: int) -> None:
    """Judged URLs number `first` to `count - 1`, with their standing judgements."""
    from django.db import transaction

    from turntide.bulk import fetch, insert_select
    from turntide.cases.models import Assessment, URLCase

    started = time.perf_counter()
    for low in range(first, count, 100_000):
        high = min(low + 100_000, count) - 1
        with transaction.atomic():
            [(last,)] = fetch("SELECT coalesce(max(id), 0) FROM cases_urlcase")
            insert_select(URLCase, CASE, JUDGED, [low, high])
            insert_select(Assessment, JUDGEMENT, "FROM cases_urlcase WHERE id > %s", [last])
        print(f"  {high + 1:,} judged, {time.perf_counter() - started:.0f} s", flush=True)


def write_reports(path: Path, count: int, rng: random.Random) -> None:
    """Reported URLs of the last two weeks from every channel; a tenth reported again."""
    with path.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["url", "received_at", "channel", "immediate_danger"])
        for number in [*range(count), *rng.sample(range(count), count // 10)]:
            received = NOW - timedelta(seconds=rng.randrange(14 * 86400))
            channel = rng.choices(("public", "trusted", "proactive"), (7, 2, 1))[0]
            danger = "yes" if rng.random() < 0.01 else "no"
            out.writerow([url_of(number, "reported"), received.isoformat(), channel, danger])


def load(decided: int, reported: int) -> None:
    """Add what the database lacks; pass some open cases on to verification or dispute."""
    from turntide.cases.models import URLCase
    from turntide.reports.importing import import_reports

    judged = URLCase.objects.filter(imported_from="bench").count()
    print(f"{judged:,} judged cases present", flush=True)
    add_judged(decided, judged)
    if not URLCase.objects.filter(canonical_url__contains="/reported/").exists():
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "reports.csv"
            write_reports(path, reported, random.Random(15))
            started = time.perf_counter()
            summary = import_reports("bench", path)
            print(f"{summary} in {time.perf_counter() - started:.0f} s", flush=True)
    if not URLCase.objects.filter(status__in=("verifying", "disputed")).exists():
        new = list(URLCase.objects.filter(status="new").order_by("pk").values_list("pk", flat=True))
        URLCase.objects.filter(pk__in=new[::20]).update(status="verifying")
        URLCase.objects.filter(pk__in=new[1::100]).update(status="disputed")


def timed(repeat: int, work: Callable[[], object]) -> float:
    """Median milliseconds of `repeat` runs, after two unmeasured ones."""
    work()
    work()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def searches() -> dict[str, str]:
    """One search of each kind, for cases drawn from the middle of the data."""
    from turntide.cases.models import CaseReport, URLCase

    judged = URLCase.objects.filter(imported_from="bench").order_by("pk")
    decided = judged[judged.count() // 2]
    reported = CaseReport.objects.select_related("reported_url__report").order_by("pk")
    report = reported[reported.count() // 2].reported_url.report
    host = decided.canonical_url.split("/")[2]
    return {
        "case code": decided.code,
        "report reference": report.reference,
        "full URL": f"HTTP://{host.upper()}:80/{decided.canonical_url.split('/', 3)[3]}",
        "host": host,
        "registrable domain": host.partition(".")[2],
    }


def explain(query: dict[str, str]) -> None:
    """EXPLAIN ANALYZE the slowest statement of one page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = staff_client("bench-analyst", ["analyst"])
    with CaptureQueriesContext(connection) as captured:
        client.get("/cases/", query)
    slowest = max(captured.captured_queries, key=lambda q: float(q["time"]))
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {slowest['sql']}")
        print("\n".join(f"    {line}" for (line,) in cursor.fetchall()))


def bench(repeat: int, show_plans: bool) -> None:
    from django.db import connection

    from turntide.cases.models import URLCase
    from turntide.cases.queue import SORTS

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum leaves a database in use
    print(
        f"{URLCase.objects.count():,} cases, "
        f"{URLCase.objects.filter(status__in=('new', 'verifying', 'disputed')).count():,} open"
    )
    pages: dict[str, dict[str, str]] = {"queue": {}, "?status=new": {"status": "new"}}
    for key in SORTS:
        pages[f"sort={key}"] = {"sort": key}
        pages[f"sort=-{key}"] = {"sort": f"-{key}"}
    pages["page 200"] = {"page": "200"}
    pages.update({f"search: {kind}": {"q": text} for kind, text in searches().items()})
    client = staff_client("bench-analyst", ["analyst"])
    for name, query in pages.items():
        response = client.get("/cases/", query)
        assert response.status_code == 200, (name, response.status_code)
        heading = re.search(r"\((\d+) (?:found|waiting)\)", response.content.decode())
        found = int(heading[1]) if heading else 0
        assert found, f"{name} found nothing"
        took = timed(repeat, lambda query=query: client.get("/cases/", query))
        print(
            f"{name:28} {took:7.1f} ms  ratio {took / GOAL_MS:5.2f} of the {GOAL_MS:.0f} ms goal"
            f"  ({found:,} cases)",
            flush=True,
        )
        if show_plans:
            explain(query)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--decided", type=int, default=1_000_000)
    parser.add_argument("--open", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--explain", action="store_true", help="print each page's slowest plan")
    args = parser.parse_args()
    if not migrated_scratch_database():
        return 2
    load(args.decided, args.open)
    bench(args.repeat, args.explain)
    return 0


if __name__ == "__main__":
    sys.exit(main())
