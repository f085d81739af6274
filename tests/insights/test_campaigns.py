"""Prevention campaigns: recorded by managers, evaluated with an interrupted time series."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from django.test import Client

from tests.insights.synthetic import actioned, month
from turntide.audit.models import Event
from turntide.insights.campaigns import do_record_campaign, evaluate
from turntide.insights.models import Campaign

pytestmark = pytest.mark.django_db
AUDIENCE = {"category": "B", "sex": "girls", "age_group": "11-13", "self_generated": "yes"}
TODAY = date(2024, 7, 15)  # series: 2019-01 to 2024-06; the campaign starts 2023-01


def seeded_history(effect: float, first_year: int = 2019) -> None:
    """Monthly self-generated URLs of girls 11-13, seasonal and rising, cut by `effect` from
    2023; boys of the same age, untouched, must not count."""
    rng = np.random.default_rng(8)
    rows = []
    for year in range(first_year, 2025):
        for number in range(1, 13):
            if (year, number) > (2024, 7):
                break
            t = (year - 2019) * 12 + number - 1
            expected = 40 * np.exp(0.01 * t + 0.2 * np.sin(2 * np.pi * number / 12))
            girls = rng.poisson(expected * (effect if year >= 2023 else 1.0))
            rows += [(month(year, number), AUDIENCE)] * int(girls)
            rows += [(month(year, number), {**AUDIENCE, "sex": "boys"})] * 5
    actioned(rows)


def record(manager, start: date = date(2023, 1, 1)) -> Campaign:
    return do_record_campaign(
        manager, name="Girls 11-13", start=start, sexes=["girls"], age_groups=["11-13"]
    )


def test_a_manager_records_a_campaign_and_it_is_audited(client: Client, manager) -> None:
    client.force_login(manager)
    response = client.post(
        "/insights/campaigns/new/",
        {
            "name": "Think before you share",
            "sexes": ["girls"],
            "age_groups": ["11-13", "14-15"],
            "self_generated_only": "on",
            "start": "2023-03-01",
            "end": "2023-05-31",
        },
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/insights/campaigns/{campaign.code}/"
    assert campaign.age_groups == ["11-13", "14-15"]
    assert campaign.created_by == manager
    event = Event.objects.get(action="campaign.recorded")
    assert event.actor == "mia"
    assert event.object_code == campaign.code
    assert event.details["start"] == "2023-03-01"
    listing = client.get("/insights/campaigns/")
    assert b"Think before you share" in listing.content


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"start": "2023-03-01", "end": "2023-02-01"}, b"cannot end before it starts"),
        ({"start": "March"}, b"Enter a valid date"),
        ({"start": "2023-03-01", "sexes": ["robots"]}, b"robots is not one of"),
        ({"start": "2023-03-01", "name": "   "}, b"This field is required"),
    ],
)
def test_a_bad_campaign_gets_the_reason_and_nothing_is_saved(
    client: Client, manager, fields: dict[str, object], message: bytes
) -> None:
    client.force_login(manager)
    response = client.post("/insights/campaigns/new/", {"name": "Campaign", **fields})
    assert response.status_code == 400
    assert message in response.content
    assert not Campaign.objects.exists()
    assert not Event.objects.filter(action="campaign.recorded").exists()


def test_a_planted_effect_is_estimated_with_an_interval_that_covers_it(manager) -> None:
    seeded_history(effect=0.6)
    evaluation = evaluate(record(manager), today=TODAY)
    result = evaluation.result
    assert result is not None
    assert not result.too_short
    assert (result.pre_months, result.post_months) == (48, 18)
    assert result.level_change.low <= 0.6 <= result.level_change.high
    assert result.significant
    assert result.cumulative_effect.high < 0
    # Boys' URLs are outside the audience: the first month counts girls only.
    assert evaluation.counts[0] < 60


def test_the_evaluation_page_shows_effect_chart_and_assumptions(client: Client, manager) -> None:
    seeded_history(effect=0.6)
    campaign = record(manager)
    client.force_login(manager)
    page = client.get(f"/insights/campaigns/{campaign.code}/").content.decode()
    assert "Change in level at the start" in page
    assert "95% interval" in page
    assert "<svg" in page
    assert "Without the campaign (counterfactual)" in page
    assert "Assumptions" in page
    assert "counterfactual" in page
    assert "style=" not in page
    assert "<script>" not in page


def test_a_campaign_with_too_little_before_it_is_flagged(manager) -> None:
    seeded_history(effect=1.0, first_year=2022)  # 12 months before 2023
    evaluation = evaluate(record(manager), today=TODAY)
    assert evaluation.result is not None
    assert evaluation.result.too_short


def test_a_series_too_short_for_any_estimate_says_so(client: Client, manager) -> None:
    actioned([(month(2024, n), AUDIENCE) for n in range(1, 7)] * 20)
    campaign = record(manager, start=date(2024, 3, 15))
    evaluation = evaluate(campaign, today=TODAY)
    assert evaluation.result is None
    assert "needed to estimate" in evaluation.reason
    assert evaluation.intervention == 3  # started on the 15th: counted from April
    client.force_login(manager)
    page = client.get(f"/insights/campaigns/{campaign.code}/")
    assert b"too short to say anything" in page.content


def test_with_no_data_the_page_still_answers(client: Client, manager) -> None:
    campaign = record(manager)
    client.force_login(manager)
    page = client.get(f"/insights/campaigns/{campaign.code}/")
    assert page.status_code == 200
    assert b"no complete month of data" in page.content


@pytest.mark.parametrize("persona", ["analyst", "researcher"])
def test_other_roles_cannot_see_campaigns(client: Client, request, manager, persona: str) -> None:
    campaign = record(manager)
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/insights/campaigns/").status_code == 403
    assert client.get("/insights/campaigns/new/").status_code == 403
    assert client.get(f"/insights/campaigns/{campaign.code}/").status_code == 404


def test_an_administrator_reads_campaigns_but_does_not_record_them(
    client: Client, administrator, manager
) -> None:
    campaign = record(manager)
    client.force_login(administrator)
    assert client.get(f"/insights/campaigns/{campaign.code}/").status_code == 200
    assert client.get("/insights/campaigns/new/").status_code == 403
    assert b"Record a campaign" not in client.get("/insights/campaigns/").content


def test_an_unknown_campaign_is_not_found(client: Client, manager) -> None:
    client.force_login(manager)
    assert client.get("/insights/campaigns/PC-0000-0000/").status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client: Client) -> None:
    response = client.get("/insights/campaigns/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_series_stops_two_years_after_the_start(manager) -> None:
    seeded_history(effect=1.0)
    evaluation = evaluate(record(manager, start=date(2022, 1, 1)), today=TODAY)
    assert evaluation.result is not None
    assert (evaluation.result.pre_months, evaluation.result.post_months) == (36, 24)
    assert evaluation.months[-1] == date(2023, 12, 1)
