"""A synthetic two-wave survey of young people and their parents for the demo, drawn by a
seeded generator from a known design, and linked to the demo campaign. No real survey data.

Design: four regions (strata) with a known number of schools each (the fpc); eight schools
drawn in each region, then 24 pupils aged 11-17 and 12 parents in each school (clusters).
Weights are the inverse of each respondent's chance of selection; the waves are then raked to
population margins by age band and sex. Answers vary by school (a school effect), by region,
by age and sex; awareness of where to report rises between the wave before the campaign and
the wave after it, so the campaign page has a before/after to show.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import random
from datetime import date

from django.contrib.auth.models import User

from turntide.insights.models import Campaign
from turntide.insights.surveys.actions import do_declare_design, do_upload_wave
from turntide.insights.surveys.models import Survey

__all__ = ["DEMO_SURVEY", "seed_demo_survey", "wave_rows"]

DEMO_SURVEY = "Young people and parents online (demo)"
# Schools in each region (the population of PSUs), and how far its answers lean.
REGIONS = {"north": (820, 0.1), "midlands": (700, 0.0), "south": (940, -0.1), "east": (540, 0.2)}
SCHOOLS_DRAWN = 8
PUPILS, PARENTS = 24, 12
AGES = ("11-13", "14-15", "16-17")
# Population margins the waves are raked to (the area's pupils 11-17 and their parents).
AGE_MARGIN = {"11-13": 860_000, "14-15": 570_000, "16-17": 570_000, "parent": 1_500_000}
SEX_MARGIN = {"female": 1_790_000, "male": 1_710_000}
# Log-odds of the answer "yes" before the campaign; awareness gains after it.
ASKED, AWARE, TALKED = -1.6, -0.5, 0.1
AWARENESS_GAIN = 0.45
WAVES = ((date(2022, 11, 14), False), (date(2023, 10, 16), True))
COLUMNS = (
    "respondent_id",
    "region",
    "schools_in_region",
    "school",
    "respondent",
    "age_band",
    "sex",
    "weight",
    "asked_for_images",
    "knows_where_to_report",
    "talked_to_parent",
)


def _yes(rng: random.Random, log_odds: float) -> str:
    return "yes" if rng.random() < 1 / (1 + math.exp(-log_odds)) else "no"


def wave_rows(rng: random.Random, after_campaign: bool) -> list[dict[str, object]]:
    """One wave's respondents, in the file's column order."""
    rows: list[dict[str, object]] = []
    for region, (schools, lean) in REGIONS.items():
        for number in rng.sample(range(1, schools + 1), SCHOOLS_DRAWN):
            school = f"{region[:2].upper()}{number:03d}"
            pupils = rng.randint(300, 1400)
            school_effect = rng.gauss(0, 0.35)
            base = schools / SCHOOLS_DRAWN
            for index in range(PUPILS + PARENTS):
                parent = index >= PUPILS
                age = "parent" if parent else rng.choice(AGES)
                sex = rng.choice(("female", "male"))
                older = AGES.index(age) if not parent else 0
                aware = AWARE + lean + school_effect + 0.25 * older
                aware += AWARENESS_GAIN if after_campaign else 0.0
                weight = base * pupils / (PARENTS if parent else PUPILS)
                weight *= 1.1 if parent else 1.0
                rows.append(
                    {
                        "respondent_id": len(rows) + 1,
                        "region": region,
                        "schools_in_region": schools,
                        "school": school,
                        "respondent": "parent" if parent else "young person",
                        "age_band": age,
                        "sex": sex,
                        "weight": round(weight, 2),
                        "asked_for_images": ""
                        if parent
                        else _yes(
                            rng, ASKED + school_effect + 0.5 * older + 0.4 * (sex == "female")
                        ),
                        "knows_where_to_report": _yes(rng, aware),
                        "talked_to_parent": "" if parent else _yes(rng, TALKED - 0.3 * older),
                    }
                )
    return rows


def _csv(rows: list[dict[str, object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


def _margin(name: str, totals: dict[str, int]) -> str:
    return f"{name}:" + ",".join(f"{value}={total}" for value, total in totals.items())


def seed_demo_survey(campaign_name: str) -> int:
    """Both waves and the design, linked to the demo campaign; 0 when already there."""
    if Survey.objects.filter(name=DEMO_SURVEY).exists():
        return 0
    rng = random.Random(hashlib.sha256(DEMO_SURVEY.encode()).digest())  # noqa: S311  (demo data)
    researcher = User.objects.filter(username="researcher").first() or "system"
    campaign = Campaign.objects.filter(name=campaign_name).first()
    for number, (fielded_on, after) in enumerate(WAVES, start=1):
        do_upload_wave(
            researcher,
            survey_name=DEMO_SURVEY,
            fielded_on=fielded_on,
            filename=f"online-safety-wave{number}.csv",
            content=_csv(wave_rows(rng, after)),
            campaign=campaign,
        )
    do_declare_design(
        researcher,
        Survey.objects.get(name=DEMO_SURVEY),
        weight="weight",
        strata="region",
        cluster="school",
        fpc="schools_in_region",
        rake=[_margin("age_band", AGE_MARGIN), _margin("sex", SEX_MARGIN)],
        indicator_label="Knowing where to report",
        indicator_column="knows_where_to_report",
        indicator_value="yes",
    )
    return 1
