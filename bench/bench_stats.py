"""Statistics and historical import at scale, on PostgreSQL (not a test).

    DATABASE_URL=postgres://... uv run python bench/bench_stats.py [--urls 1000000]
        [--import-rows 100000] [--repeat 5]

1. Import: `turntide import assessments` (validation, then the writes) of --import-rows
   synthetic judged URLs from a CSV file; prints rows/s and the time a million rows would
   take at that rate. The anchor is PostgreSQL COPY of the same CSV into a bare table.
2. Statistics: tops the database up to --urls assessed URLs, all judged in one year (2.5
   times the busiest year a hotline has published), then times `turntide stats annual`'s
   figures (the year against the one before) and everything the dashboard computes for that
   year (channels, outcomes, six breakdowns, time to removal percentiles, yearly trend),
   best of --repeat runs. Goal: under 1 s.

The benchmark migrates the database it is given and adds cases to it: point it at a scratch
database. All URLs are on reserved names.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from scratch import judged_case, migrated_scratch_database, staff_client

YEAR = 2023
SOURCE = "bench-stats"
CHUNK = 5000
COLUMNS = [
    "url",
    "assessed_at",
    "outcome",
    "category",
    "age_group",
    "sex",
    "self_generated",
    "site_type",
    "hosting_country",
    "removed_at",
]
COUNTRIES = ("NL", "NL", "NL", "US", "US", "BG", "RO", "RU", "SK", "HK", "FR", "DE", "LV")


def synthetic_row(rng: random.Random, number: int, prefix: str) -> list[str]:
    """One judged URL of YEAR: 70% criminal, most of them self-generated and removed."""
    assessed_at = datetime(YEAR, 1, 1, tzinfo=UTC) + timedelta(seconds=rng.randrange(365 * 86400))
    url = f"http://{prefix}{number % 997}.example/{number}/{rng.randrange(10**9)}.html"
    if rng.random() >= 0.7:
        outcome = rng.choice(("not_illegal", "unavailable", "other_harm"))
        return [url, assessed_at.isoformat(), outcome, "", "", "", "", "", "", ""]
    removed = rng.random() < 0.9
    removed_at = assessed_at + timedelta(hours=rng.lognormvariate(3.2, 1.1)) if removed else None
    return [
        url,
        assessed_at.isoformat(),
        "criminal",
        rng.choice("ABCCC"),
        rng.choice(("7-10", "11-13", "11-13", "14-15")),
        rng.choice(("girls", "girls", "girls", "boys")),
        rng.choice(("yes", "yes", "yes", "no")),
        rng.choice(("image_host", "image_host", "forum", "cyberlocker", "website")),
        rng.choice(COUNTRIES),
        removed_at.isoformat() if removed_at else "",
    ]


def write_csv(path: Path, rows: int, prefix: str, seed: int) -> None:
    rng = random.Random(seed)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for number in range(rows):
            writer.writerow(synthetic_row(rng, number, prefix))


def best_of(repeat: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def bench_import(rows: int) -> None:
    from django.db import connection

    from turntide.cases.importing import import_assessments

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "history.csv"
        write_csv(path, rows, f"imp{int(time.time())}-", seed=int(time.time()))
        started = time.perf_counter()
        summary = import_assessments("bench", path)
        elapsed = time.perf_counter() - started
        assert summary.imported == rows, summary.errors[:3]
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMP TABLE copy_anchor ({', '.join(f'{c} text' for c in COLUMNS)})"
            )
            started = time.perf_counter()
            with (
                path.open() as handle,
                cursor.copy("COPY copy_anchor FROM STDIN WITH (FORMAT csv, HEADER true)") as copy,
            ):
                while block := handle.read(1 << 20):
                    copy.write(block)
            anchor = time.perf_counter() - started
            cursor.execute("DROP TABLE copy_anchor")
    rate, anchor_rate = rows / elapsed, rows / anchor
    print(
        f"import assessments: {rows:,} rows in {elapsed:.1f} s = {rate:,.0f} rows/s "
        f"(1,000,000 rows: {1_000_000 / rate / 60:.1f} min); "
        f"COPY anchor {anchor_rate:,.0f} rows/s; ratio {rate / anchor_rate:.3f}"
    )


# One judged URL per n, as `turntide import assessments` stores it (cases.importing), computed
# by PostgreSQL: judged at a random moment of a year (parameters: its first second, a prefix
# for the URLs, the first and last n), 70%
# criminal with every grading field drawn as in synthetic_row, nine in ten of those removed
# after a log-normal time (median about a day, as on a hotline's removal team).
JUDGED = """FROM (SELECT n, k, e, at, c, c AND random() < 0.9 AS removed, random() AS r,
    exp(3.2 + 1.1 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())) AS hours
  FROM (SELECT n, e, encode(sha256(convert_to(e, 'UTF8')), 'hex') AS k, random() < 0.7 AS c,
      %s::timestamptz + make_interval(secs => random() * 365 * 86400) AS at
    FROM (SELECT n, 'www.' || %s::text || (n %% 997) || '.example/' || n || '.html' AS e
      FROM generate_series(%s, %s) AS n) AS g
  ) AS h) AS j WHERE true"""


def pick(values: Sequence[str], draw: str = "random()") -> str:
    """SQL drawing one of `values` (repeats weigh more), uniformly by `draw` in [0, 1)."""
    return f"(ARRAY{list(values)})[floor({draw} * {len(values)})::int + 1]"


CASE = judged_case(
    f"CASE WHEN c THEN {pick(COUNTRIES, 'r')} ELSE '' END",
    "at + make_interval(secs => hours * 3600)",
    SOURCE,
)
CRIMINAL_ONLY = {
    "category": pick("ABCCC"),
    "age_group": pick(("7-10", "11-13", "11-13", "14-15")),
    "sex": pick(("girls", "girls", "girls", "boys")),
    "self_generated": pick(("yes", "yes", "yes", "no")),
    "site_type": pick(("image_host", "image_host", "forum", "cyberlocker", "website")),
}
JUDGEMENT = {
    "code": "'A-' || upper(substr(url_key, 17, 16))",
    "case_id": "id",
    "assessed_at": "created_at",
    "outcome": "CASE WHEN actioned_at IS NULL THEN "
    f"{pick(('not_illegal', 'unavailable', 'other_harm'))} ELSE 'criminal' END",
    **{
        name: f"CASE WHEN actioned_at IS NULL THEN '' ELSE {draw} END"
        for name, draw in CRIMINAL_ONLY.items()
    },
    "hosting_country": "hosting_country",
    "kind": "'initial'",
    "decisive": "true",
}


def top_up(year: int, urls: int) -> None:
    """Add judged URLs of `year`, generated inside PostgreSQL, until it holds `urls` of them
    (a million in about two minutes; the import itself would take hours)."""
    from django.db import transaction

    from turntide.bulk import fetch, insert_select
    from turntide.cases.models import Assessment, URLCase
    from turntide.insights.statistics import Period

    period = Period(year)
    present = Assessment.objects.filter(
        decisive=True, assessed_at__gte=period.start, assessed_at__lt=period.end
    ).count()
    missing = urls - present
    print(f"{present:,} judged URLs in {year}; adding {max(missing, 0):,}", flush=True)
    started = time.perf_counter()
    for low in range(present, urls, 100_000):
        high = min(low + 100_000, urls) - 1
        with transaction.atomic():
            [(last,)] = fetch("SELECT coalesce(max(id), 0) FROM cases_urlcase")
            insert_select(URLCase, CASE, JUDGED, [period.start, f"y{year}-", low, high])
            insert_select(Assessment, JUDGEMENT, "FROM cases_urlcase WHERE id > %s", [last])
        print(f"  {high + 1:,} in {year}, {time.perf_counter() - started:.0f} s", flush=True)


def bench_statistics(repeat: int) -> None:
    from django.db import connection

    from turntide.insights import statistics
    from turntide.insights.statistics import Period
    from turntide.insights.views import earlier_figures, trend_of

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum keeps a database in use
    period = Period(YEAR)
    figures = statistics.annual(YEAR, compare_to=YEAR - 1)
    print(
        f"{YEAR}: {figures['reports_assessed']:,} assessed, {figures['urls_actioned']:,} actioned"
    )
    annual = best_of(repeat, lambda: statistics.annual(YEAR, compare_to=YEAR - 1))

    def dashboard() -> None:  # what insights.views.dashboard computes
        figures = statistics.period_statistics(period)
        earlier_figures(period.earlier(), trend_of(figures))
        statistics.cases_open()

    full = best_of(repeat, dashboard)
    single = best_of(repeat, lambda: statistics.period_statistics(period))
    print(f"stats annual --compare-to: {annual * 1000:.0f} ms (goal < 1000 ms)")
    print(f"period statistics of {YEAR} (all breakdowns, time to removal): {single * 1000:.0f} ms")
    print(f"dashboard figures for {YEAR} (against {YEAR - 1}, trend): {full * 1000:.0f} ms")
    client = staff_client("bench-manager", ["manager"])
    for name, path in (
        ("dashboard page", f"/insights/?period={YEAR}"),
        ("annual report page", f"/insights/annual/{YEAR}/"),
        ("annual report PDF", f"/insights/annual/{YEAR}.pdf"),
    ):
        assert client.get(path).status_code == 200, path
        page = best_of(repeat, lambda path=path: client.get(path))
        print(f"{name} {path}: {page * 1000:.0f} ms, ratio {page:.2f} to the 1 s goal")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--urls", type=int, default=1_000_000)
    parser.add_argument("--earlier-years", type=int, default=4)
    parser.add_argument("--earlier-urls", type=int, default=250_000)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not migrated_scratch_database():
        return 2
    if args.import_rows:
        bench_import(args.import_rows)
    top_up(YEAR, args.urls)
    for year in range(YEAR - args.earlier_years, YEAR):
        top_up(year, args.earlier_urls)
    bench_statistics(args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
