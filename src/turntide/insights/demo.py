"""Synthetic judged history for the demo, shaped like a hotline's published yearly figures.

The yearly numbers of URLs actioned, self-generated and assessed follow the IWF's published
headline figures (/work/shared/data/published-figures.csv in the project's design notes),
scaled down 200 times so the demo starts in seconds; years without a published figure are
interpolated, later years extrapolated. Everything else (dates, grading, hosting countries,
removal times) is drawn from a seeded generator on reserved host names only (*.example,
*.test). Stored like a historical import, so seeding again adds nothing.
"""

from __future__ import annotations

import hashlib
import math
import random
from datetime import UTC, datetime, timedelta

from django.utils import timezone

from turntide.cases.importing import ParsedRow, store_judgements
from turntide.core.urls import canonicalize, url_key

SOURCE = "demo-history"
SCALE = 200
FIRST_YEAR = 2013
# Published figures (URLs actioned; self-generated; reports assessed), None where not published.
PUBLISHED: dict[int, tuple[int | None, int | None, int | None]] = {
    2013: (13_182, None, None),
    2015: (68_092, None, None),
    2018: (105_047, None, None),
    2019: (132_226, 38_424, None),  # 153,383 in 2020 was a 16% rise on 2019
    2020: (153_383, None, 299_619),
    2021: (252_194, 182_281, 361_062),
    2022: (255_588, 199_363, 375_230),
    2023: (275_652, 254_070, 392_665),
    2024: (291_273, None, None),
}
# Self-generated share before 2019, when it was first counted: small and growing.
EARLY_SELF_GENERATED_SHARE = {2013: 0.02, 2018: 0.2}
COUNTRIES = {"NL": 40, "US": 14, "BG": 6, "RO": 6, "RU": 5, "SK": 5, "HK": 4, "FR": 4, "DE": 4}
COUNTRIES |= {"LV": 3, "TR": 3, "UA": 2, "CA": 2, "GB": 1, "SE": 1}
SITE_TYPES = {"image_host": 70, "cyberlocker": 8, "website": 8, "forum": 5, "banner_site": 3}
SITE_TYPES |= {"blog": 2, "social_network": 2, "link_site": 1, "redirector": 1}
OTHER_OUTCOMES = {"not_illegal": 60, "unavailable": 20, "other_harm": 10, "duplicate": 5}
OTHER_OUTCOMES |= {"not_assessable": 5}
HOST_SUFFIXES = ("example", "test", "example.com", "example.net")


def _interpolated(points: dict[int, float], year: int) -> float:
    """Linear between the known years; beyond the last, its growth continues."""
    known = sorted(points)
    if year in points:
        return points[year]
    if year > known[-1]:
        last, before = known[-1], known[-2]
        growth: float = (points[last] / points[before]) ** (1 / (last - before))
        return points[last] * growth ** (year - last)
    if year < known[0]:
        return points[known[0]]
    after = next(y for y in known if y > year)
    before = max(y for y in known if y < year)
    weight = (year - before) / (after - before)
    return points[before] + (points[after] - points[before]) * weight


def yearly_targets(year: int) -> tuple[int, int, int]:
    """(URLs actioned, self-generated of them, URLs assessed) for one year, full scale."""
    actioned_points = {y: float(f[0]) for y, f in PUBLISHED.items() if f[0]}
    actioned = _interpolated(actioned_points, year)
    shares = {y: f[1] / f[0] for y, f in PUBLISHED.items() if f[0] and f[1]}
    share = min(_interpolated(shares | EARLY_SELF_GENERATED_SHARE, year), 0.95)
    ratios = {y: f[2] / f[0] for y, f in PUBLISHED.items() if f[0] and f[2]}
    assessed = actioned * _interpolated(ratios, year)
    return round(actioned), round(actioned * share), round(assessed)


def _choice(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _grading(rng: random.Random, self_generated: bool) -> dict[str, str]:
    if self_generated:
        age = rng.choices(("11-13", "14-15", "7-10", "16-17"), weights=(62, 22, 14, 2))[0]
        sex = rng.choices(("girls", "boys", "both"), weights=(93, 4, 3))[0]
    else:
        age = rng.choices(("0-2", "3-6", "7-10", "11-13", "14-15"), weights=(3, 17, 35, 35, 10))[0]
        sex = rng.choices(("girls", "boys", "both", "unknown"), weights=(75, 12, 10, 3))[0]
    return {
        "category": rng.choices("ABC", weights=(20, 24, 56))[0],
        "age_group": age,
        "sex": sex,
        "self_generated": "yes" if self_generated else rng.choice(("no", "no", "no", "unclear")),
        "site_type": _choice(rng, SITE_TYPES),
    }


def _moment_in_year(rng: random.Random, counts: list[int]) -> float:
    """Where in its year (0 to 1) a URL falls, so that the monthly rate moves smoothly from
    the year before to the year after (`counts` of those three years) instead of jumping
    every January: drawn from a density rising or falling linearly across the year."""
    before, now, after = counts
    begin, end = (before + now) / 2, (now + after) / 2
    draw = rng.random()
    if abs(end - begin) <= 1e-9 * max(begin, end, 1.0):
        return draw
    return (math.sqrt(begin * begin + (end * end - begin * begin) * draw) - begin) / (end - begin)


def history_rows(rng: random.Random, until: datetime) -> list[ParsedRow]:
    """Scaled judged URLs from FIRST_YEAR up to `until`, in time order."""
    rows: list[ParsedRow] = []
    for year in range(FIRST_YEAR, until.year + 1):
        actioned, self_generated, assessed = (n / SCALE for n in yearly_targets(year))
        start = datetime(year, 1, 1, tzinfo=UTC)
        span = min(until, datetime(year + 1, 1, 1, tzinfo=UTC)) - start
        fraction = span / timedelta(days=365)
        around = [yearly_targets(max(year + step, FIRST_YEAR)) for step in (-1, 0, 1)]
        for number in range(round(assessed * fraction)):
            criminal = number < actioned * fraction
            self_generated_row = number < self_generated * fraction
            group = (
                [sg for _a, sg, _s in around]
                if criminal and self_generated_row
                else [a - sg for a, sg, _s in around]
                if criminal
                else [s - a for a, _sg, s in around]
            )
            assessed_at = start + span * _moment_in_year(rng, group)
            url = (
                f"http://hist{rng.randrange(400)}.{rng.choice(HOST_SUFFIXES)}/"
                f"{year}/{number}/{rng.randrange(10**6)}.html"
            )
            grading = (
                _grading(rng, self_generated_row)
                if criminal
                else dict.fromkeys(
                    ("category", "age_group", "sex", "self_generated", "site_type"), ""
                )
            )
            removed_at = None
            if criminal and until - assessed_at > timedelta(days=3 if rng.random() < 0.9 else 30):
                removed_at = assessed_at + timedelta(hours=rng.lognormvariate(3.2, 1.1))
                removed_at = min(removed_at, until)
            canonical = canonicalize(url)
            rows.append(
                ParsedRow(
                    line=len(rows) + 1,
                    canonical_url=canonical,
                    key=url_key(canonical),
                    assessed_at=assessed_at,
                    outcome="criminal" if criminal else _choice(rng, OTHER_OUTCOMES),
                    grading=grading,
                    hosting_country=_choice(rng, COUNTRIES) if criminal else "",
                    removed_at=removed_at,
                )
            )
    rows.sort(key=lambda row: row.assessed_at)
    return rows


def seed_history(chunk: int = 5000) -> int:
    """Add whatever part of the demo history is missing; return how many cases were added."""
    rng = random.Random(hashlib.sha256(SOURCE.encode()).digest())  # noqa: S311  (demo data)
    now = timezone.now()
    # Up to the start of this month, so a second run (another day) draws the same rows.
    until = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    rows = history_rows(rng, until)
    added = 0
    for start in range(0, len(rows), chunk):
        added += store_judgements("system", rows[start : start + chunk], SOURCE)[0]
    return added
