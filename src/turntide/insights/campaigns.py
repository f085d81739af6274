"""Prevention campaigns: record one, then estimate its effect on new actioned URLs in its
audience with an interrupted time series (`turntide.core.its`).

The series counts, month by month, new actioned URLs of the audience (self-generated, of the
chosen sexes and age groups), from at most `LOOKBACK_MONTHS` before the campaign (a single
pre-campaign trend is less believable over a longer stretch) to the last complete month, but
no more than `LOOKAHEAD_MONTHS` after its start (further out, the counterfactual is an
extrapolation that says more about the model than about the campaign). The
campaign's first month is the month of its start when it starts on the 1st, else the next,
so that no month half before and half after is counted as after.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from turntide.audit.actions import Actor, record
from turntide.cases.models import Assessment
from turntide.core.its import (
    ASSUMPTIONS,
    TOO_SHORT_RULE,
    CannotEstimate,
    Estimate,
    ITSResult,
    fit_its,
)
from turntide.insights.charts import Chart, line_chart
from turntide.insights.models import Campaign
from turntide.insights.statistics import add_months, monthly_counts

__all__ = [
    "LOOKAHEAD_MONTHS",
    "LOOKBACK_MONTHS",
    "BadCampaign",
    "Evaluation",
    "campaign_by_code",
    "campaigns",
    "do_record_campaign",
    "evaluate",
    "seed_demo_campaign",
]

LOOKBACK_MONTHS = 60
LOOKAHEAD_MONTHS = 24
DEMO_CAMPAIGN = "Think before you share (demo)"


class BadCampaign(ValueError):
    """A campaign that cannot be recorded as given; the message says why."""


def campaigns() -> QuerySet[Campaign]:
    return Campaign.objects.select_related("created_by")


def campaign_by_code(code: str) -> Campaign:
    return get_object_or_404(Campaign, code=code)


def do_record_campaign(
    actor: Actor,
    *,
    name: str,
    start: date,
    end: date | None = None,
    description: str = "",
    sexes: list[str] | None = None,
    age_groups: list[str] | None = None,
    self_generated_only: bool = True,
) -> Campaign:
    """Save a campaign and audit it; nothing is saved when any field is wrong."""
    sexes, age_groups = sorted(set(sexes or [])), sorted(set(age_groups or []))
    if not name.strip():
        raise BadCampaign("a campaign needs a name")
    if end is not None and end < start:
        raise BadCampaign("a campaign cannot end before it starts")
    unknown = (set(sexes) - set(Assessment.Sex.values)) | (
        set(age_groups) - set(Assessment.AgeGroup.values)
    )
    if unknown:
        raise BadCampaign(f"unknown audience values: {', '.join(sorted(unknown))}")
    campaign = Campaign.objects.create(
        name=name.strip(),
        description=description.strip(),
        sexes=sexes,
        age_groups=age_groups,
        self_generated_only=self_generated_only,
        start=start,
        end=end,
        created_by=actor if isinstance(actor, User) else None,
    )
    record(
        actor,
        "campaign.recorded",
        object_type="campaign",
        object_code=campaign.code,
        details={
            "name": campaign.name,
            "sexes": sexes,
            "age_groups": age_groups,
            "self_generated_only": self_generated_only,
            "start": start.isoformat(),
            "end": end.isoformat() if end else None,
        },
    )
    return campaign


def seed_demo_campaign() -> int:
    """The demo's campaign, so that an evaluation shows on first run; 0 when it is there."""
    if Campaign.objects.filter(name=DEMO_CAMPAIGN).exists():
        return 0
    do_record_campaign(
        User.objects.filter(username="manager").first() or "system",
        name=DEMO_CAMPAIGN,
        description=(
            "A synthetic campaign on the demo's synthetic history, which had no campaign. That "
            "history surged in 2020-21 and then grew more slowly, which a straight "
            "pre-campaign trend cannot follow: the placebo check below says so, and the "
            "estimate is the trend's doing, not the campaign's. This is what the method "
            "looks like when its assumptions fail."
        ),
        start=date(2023, 1, 1),
        end=date(2023, 6, 30),
        sexes=[Assessment.Sex.GIRLS],
        age_groups=["11-13"],
    )
    return 1


def first_campaign_month(campaign: Campaign) -> date:
    start = campaign.start
    return start if start.day == 1 else add_months(start, 1)


def _first_data_month() -> date | None:
    first = (
        Assessment.objects.filter(decisive=True)
        .order_by("assessed_at")
        .values_list("assessed_at", flat=True)
        .first()
    )
    if first is None:
        return None
    local = timezone.localtime(first).date()
    return local.replace(day=1)


@dataclass(frozen=True)
class Evaluation:
    campaign: Campaign
    months: tuple[date, ...]
    counts: tuple[int, ...]
    intervention: int  # index of the campaign's first month in `months`
    result: ITSResult | None
    reason: str  # why nothing could be estimated, when `result` is None
    chart: Chart | None
    assumptions: tuple[str, ...] = ASSUMPTIONS
    too_short_rule: str = TOO_SHORT_RULE

    @property
    def level_change_pct(self) -> Estimate | None:
        """The level change as a percentage change in the campaign's first month."""
        return _percent_change(self.result.level_change) if self.result is not None else None

    @property
    def slope_change_pct(self) -> Estimate | None:
        """The change in the monthly trend, in percent per month."""
        return _percent_change(self.result.slope_change) if self.result is not None else None


def _percent_change(ratio: Estimate) -> Estimate:
    """A rate ratio (1.25, with its interval) as a change in percent (+25%)."""
    return Estimate(*((value - 1) * 100 for value in (ratio.value, ratio.low, ratio.high)))


def evaluate(campaign: Campaign, today: date | None = None) -> Evaluation:
    """The monthly series of the campaign's audience and, where it allows, the ITS estimate."""
    today = today or timezone.localdate()
    start_month = first_campaign_month(campaign)
    # The current month is not complete yet.
    end = min(today.replace(day=1), add_months(start_month, LOOKAHEAD_MONTHS))
    data_from = _first_data_month()
    if data_from is None or data_from >= end:
        return Evaluation(campaign, (), (), 0, None, "there is no complete month of data yet", None)
    series_from = max(data_from, add_months(start_month, -LOOKBACK_MONTHS))
    series = monthly_counts(
        series_from,
        end,
        self_generated=Assessment.SelfGenerated.YES if campaign.self_generated_only else None,
        sex=campaign.sexes or None,
        age_group=campaign.age_groups or None,
    )
    months = tuple(point.month for point in series)
    counts = tuple(point.count for point in series)
    intervention = (
        (start_month.year - series_from.year) * 12 + start_month.month - series_from.month
    )
    try:
        result: ITSResult | None = fit_its(
            counts, first_month=series_from.month, intervention=intervention
        )
        reason = ""
    except CannotEstimate as error:
        result, reason = None, str(error)
    return Evaluation(
        campaign,
        months,
        counts,
        intervention,
        result,
        reason,
        _chart(campaign, months, counts, intervention, result),
    )


def _chart(
    campaign: Campaign,
    months: tuple[date, ...],
    counts: tuple[int, ...],
    intervention: int,
    result: ITSResult | None,
) -> Chart | None:
    if not months:
        return None
    values: dict[str, list[float | None]] = {"Observed": list(counts)}
    if result is not None:
        values["Model"] = [round(v, 1) for v in result.fitted]
        # The counterfactual starts from the last month before the campaign, so the lines meet.
        values["Without the campaign (counterfactual)"] = [
            round(v, 1) if index >= intervention - 1 else None
            for index, v in enumerate(result.counterfactual)
        ]
    labels = [f"{month.year}-{month.month:02d}" for month in months]
    start = labels[intervention] if 0 <= intervention < len(labels) else "after the series"
    return line_chart(
        f"campaign-{campaign.code}",
        f"New actioned URLs a month in the audience of {campaign.name}",
        labels,
        values,
        description=(
            "Observed monthly counts, the fitted model, and the model's course without the "
            f"campaign from its first month ({start})."
        ),
        category_heading="month",
    )
