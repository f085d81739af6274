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
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

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


def top_up(urls: int) -> None:
    """Add judged URLs of YEAR until the database holds `urls` of them."""
    from turntide.cases.importing import parse_row, store_judgements
    from turntide.cases.models import Assessment
    from turntide.core.rowfiles import Row
    from turntide.insights.statistics import Period

    period = Period(YEAR)
    present = Assessment.objects.filter(
        decisive=True, assessed_at__gte=period.start, assessed_at__lt=period.end
    ).count()
    missing = urls - present
    print(f"{present:,} assessed URLs in {YEAR}; adding {max(missing, 0):,}", flush=True)
    rng = random.Random(present)
    now = datetime.now(UTC)
    started = time.perf_counter()
    for first in range(0, max(missing, 0), CHUNK):
        rows = []
        for number in range(first, min(first + CHUNK, missing)):
            fields = dict(zip(COLUMNS, synthetic_row(rng, number, f"s{present}-"), strict=True))
            parsed, errors = parse_row(Row(number, fields), now)
            assert parsed is not None, errors
            rows.append(parsed)
        store_judgements("bench", rows, SOURCE)
        if first and first % 100_000 == 0:
            print(f"  {first:,} added, {time.perf_counter() - started:.0f} s", flush=True)


def bench_statistics(repeat: int) -> None:
    from django.db import connection

    from turntide.insights import statistics
    from turntide.insights.statistics import Period
    from turntide.insights.views import earlier_figures, trend_of

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    period = Period(YEAR)
    figures = statistics.annual(YEAR, compare_to=YEAR - 1)
    print(
        f"{YEAR}: {figures['reports_assessed']:,} assessed, {figures['urls_actioned']:,} actioned"
    )
    annual = best_of(repeat, lambda: statistics.annual(YEAR, compare_to=YEAR - 1))

    def dashboard() -> None:  # what insights.views.dashboard computes
        figures = statistics.period_statistics(period)
        earlier_figures(period.earlier(), trend_of(figures))
        statistics.monthly_counts(period.start_date, period.end_date)
        statistics.cases_open()

    full = best_of(repeat, dashboard)
    single = best_of(repeat, lambda: statistics.period_statistics(period))
    print(f"stats annual --compare-to: {annual * 1000:.0f} ms (goal < 1000 ms)")
    print(f"period statistics of {YEAR} (all breakdowns, time to removal): {single * 1000:.0f} ms")
    print(f"dashboard for {YEAR} (against {YEAR - 1}, trend, months): {full * 1000:.0f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--urls", type=int, default=1_000_000)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("set DATABASE_URL to a scratch PostgreSQL database", file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "turntide.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    if args.import_rows:
        bench_import(args.import_rows)
    top_up(args.urls)
    bench_statistics(args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
