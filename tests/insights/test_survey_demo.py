"""The demo's synthetic two-wave survey: drawn from its known design, declared, linked to the
demo campaign, and seeded once."""

from __future__ import annotations

import random

import pytest

from turntide.insights.campaigns import DEMO_CAMPAIGN, seed_demo_campaign
from turntide.insights.surveys.demo import AGE_MARGIN, SEX_MARGIN, seed_demo_survey, wave_rows
from turntide.insights.surveys.models import Survey

pytestmark = pytest.mark.django_db


def test_the_generator_follows_its_design() -> None:
    rows = wave_rows(random.Random(7), after_campaign=False)  # noqa: S311  (synthetic data)
    schools = {row["school"] for row in rows}
    assert len(schools) == 32
    assert {row["region"] for row in rows} == {"north", "midlands", "south", "east"}
    assert {row["age_band"] for row in rows} == set(AGE_MARGIN)
    assert {row["sex"] for row in rows} == set(SEX_MARGIN)
    assert sum(AGE_MARGIN.values()) == sum(SEX_MARGIN.values())
    parents = [row for row in rows if row["respondent"] == "parent"]
    assert all(row["asked_for_images"] == "" for row in parents)


def test_the_demo_survey_shows_a_before_after_on_the_demo_campaign() -> None:
    seed_demo_campaign()
    assert seed_demo_survey(DEMO_CAMPAIGN) == 1
    survey = Survey.objects.get()
    assert survey.campaign is not None
    assert survey.campaign.name == DEMO_CAMPAIGN
    assert survey.waves.count() == 2
    assert survey.design_declared_at is not None
    assert survey.headline is not None
    assert survey.headline["rose"]
    assert seed_demo_survey(DEMO_CAMPAIGN) == 0
