"""Row-level case export at scale, on PostgreSQL (not a test).

    DATABASE_URL=postgres://... uv run python bench/bench_case_export.py [--cases 1000000]

Tops the database up to --cases cases first reported in YEAR (each with a standing decision,
seven in ten criminal, most of those removed), inserted in bulk, then times the worker's
part of an export of that year: the query, one server-side cursor, the CSV file. The anchor is
PostgreSQL's own `COPY (SELECT ...) TO STDOUT` of the same join, read and thrown away: what
reading the rows costs without Python. Goal: 1,000,000 rows in minutes.

The benchmark migrates the database it is given and adds cases to it: point it at a scratch
database. All URLs are on reserved names; the file is deleted afterwards.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta

from scratch import migrated_scratch_database

YEAR = 2022
CHUNK = 10_000
COUNTRIES = ("NL", "NL", "US", "BG", "RO", "RU", "SK", "HK", "FR", "DE", "LV")


def top_up(wanted: int) -> None:
    """Add cases of YEAR, each with its standing decision, until there are `wanted`."""
    from turntide.cases.models import Assessment, URLCase

    start = datetime(YEAR, 1, 1, tzinfo=UTC)
    in_year = URLCase.objects.filter(
        first_reported_at__gte=start, first_reported_at__lt=datetime(YEAR + 1, 1, 1, tzinfo=UTC)
    )
    present = in_year.count()
    missing = max(wanted - present, 0)
    print(f"{present:,} cases first reported in {YEAR}; adding {missing:,}", flush=True)
    rng = random.Random(present)
    started = time.perf_counter()
    for first in range(0, missing, CHUNK):
        cases, decisions = [], []
        for number in range(present + first, present + min(first + CHUNK, missing)):
            url = f"http://export{number % 997}.example/{number}.html"
            reported = start + timedelta(seconds=rng.randrange(365 * 86400))
            decided = reported + timedelta(hours=rng.lognormvariate(2.5, 1))
            criminal = rng.random() < 0.7
            removed = decided + timedelta(hours=rng.lognormvariate(3, 1)) if criminal else None
            case = URLCase(
                url_key=hashlib.sha256(url.encode()).hexdigest(),
                canonical_url=url,
                status=("removed" if removed else "actioned") if criminal else "assessed",
                first_reported_at=reported,
                last_reported_at=reported,
                created_at=reported,
                report_count=1,
                hosting_country=rng.choice(COUNTRIES),
                actioned_at=decided if criminal else None,
                removed_at=removed,
            )
            cases.append(case)
            decisions.append((case, decided, criminal))
        URLCase.objects.bulk_create(cases)
        Assessment.objects.bulk_create(
            Assessment(
                case=case,
                assessed_at=decided,
                decisive=True,
                outcome="criminal" if criminal else "not_illegal",
                category=rng.choice("ABCCC") if criminal else "",
                age_group=rng.choice(("7-10", "11-13", "14-15")) if criminal else "",
                sex=rng.choice(("girls", "girls", "boys")) if criminal else "",
                self_generated=rng.choice(("yes", "no")) if criminal else "",
                site_type="image_host",
            )
            for case, decided, criminal in decisions
        )
        if first and first % 100_000 == 0:
            print(f"  {first:,} added, {time.perf_counter() - started:.0f} s", flush=True)


def copy_anchor() -> tuple[int, float]:
    """Rows and seconds of PostgreSQL's COPY of the same join, read and discarded."""
    from django.db import connection

    from turntide.cases.models import Assessment, URLCase

    cases, judgements = URLCase._meta.db_table, Assessment._meta.db_table
    query = (
        f"COPY (SELECT c.code, c.first_reported_at, c.last_reported_at, c.report_count, "  # noqa: S608
        "c.status, c.immediate_danger, c.imported_from <> '', a.code, a.assessed_at, a.kind, "
        "a.outcome, a.category, a.age_group, a.sex, a.self_generated, a.site_type, a.media, "
        "a.image_count, a.video_count, a.commercial, a.multiple_children, a.ai_generated, "
        "c.hosting_country, c.actioned_at, c.removed_at "
        f"FROM {cases} c LEFT JOIN {judgements} a ON a.case_id = c.id AND a.decisive "
        f"WHERE c.first_reported_at >= '{YEAR}-01-01' AND c.first_reported_at < '{YEAR + 1}-01-01' "
        "ORDER BY c.id) TO STDOUT WITH (FORMAT csv)"
    )
    started = time.perf_counter()
    rows = 0
    with connection.cursor() as cursor, cursor.copy(query) as copy:
        for block in copy:
            rows += bytes(block).count(b"\n")
    return rows, time.perf_counter() - started


def bench_export() -> None:
    from django.contrib.auth.models import User
    from django.db import connection

    from turntide.insights.case_export import export_path
    from turntide.insights.export_actions import do_request_case_export, do_write_case_export

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    manager, _ = User.objects.get_or_create(username="bench-export-manager")
    export = do_request_case_export(manager, date(YEAR, 1, 1), date(YEAR, 12, 31))
    started = time.perf_counter()
    written = do_write_case_export(export.code)
    elapsed = time.perf_counter() - started
    assert written is not None
    assert written.status == "done", written.error
    path = export_path(written)
    size = path.stat().st_size
    path.unlink()
    anchor_rows, anchor = copy_anchor()
    rows = written.rows or 0
    print(
        f"case export of {YEAR}: {rows:,} rows in {elapsed:.1f} s = {rows / elapsed:,.0f} rows/s, "
        f"{size / 1e6:.0f} MB; COPY anchor {anchor_rows:,} rows in {anchor:.1f} s; "
        f"ratio {anchor / elapsed:.2f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    args = parser.parse_args()
    if not migrated_scratch_database():
        return 2
    top_up(args.cases)
    bench_export()
    return 0


if __name__ == "__main__":
    sys.exit(main())
