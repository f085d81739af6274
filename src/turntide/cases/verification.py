"""Which assessments a second analyst must verify, and when two judgements agree.

Rules come from TURNTIDE_VERIFICATION_RULES, a list of:
  category:X             every criminal assessment of severity category X
  proactive-not-illegal  every "not illegal" judgement on a case the hotline found itself
  sample:N               a random N percent of all other assessments
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext

from turntide.cases.models import Assessment, CaseReport, URLCase
from turntide.cases.schemes import self_generated_label

# The fields that must match for a verification to agree with the first judgement.
JUDGEMENT_FIELDS = ("outcome", "category", "age_group", "sex", "self_generated")


class UnknownRule(ValueError):
    pass


def verification_reason(case: URLCase, assessment: Assessment) -> str | None:
    """Why this first assessment needs a second analyst, or None."""
    for rule in settings.TURNTIDE_VERIFICATION_RULES:
        name, _colon, value = rule.partition(":")
        if name == "category":
            criminal = assessment.outcome in Assessment.CRIMINAL_OUTCOMES
            if criminal and assessment.category == value:
                return f"every Category {value} assessment is verified"
        elif name == "proactive-not-illegal":
            proactive = CaseReport.objects.filter(
                case=case, reported_url__report__channel="proactive"
            ).exists()
            if proactive and assessment.outcome == Assessment.Outcome.NOT_ILLEGAL:
                return "proactive finds judged not illegal are verified"
        elif name == "sample":
            if secrets.randbelow(100) < int(value):
                return f"random {value}% sample"
        else:
            raise UnknownRule(f"unknown verification rule {rule!r} in TURNTIDE_VERIFICATION_RULES")
    return None


def judgements_agree(first: Assessment, second: Assessment) -> bool:
    return all(getattr(first, f) == getattr(second, f) for f in JUDGEMENT_FIELDS)


def first_judgement(case: URLCase) -> Assessment:
    """The first judgement awaiting verification: the case's latest initial assessment."""
    return case.assessments.filter(kind=Assessment.Kind.INITIAL).latest("assessed_at", "pk")


def current_round(case: URLCase) -> list[Assessment]:
    """The latest first judgement and the verification and decision that followed it."""
    try:
        first = first_judgement(case)
    except Assessment.DoesNotExist:
        return []
    later = case.assessments.filter(pk__gt=first.pk).exclude(kind=Assessment.Kind.INITIAL)
    return [first, *later.select_related("analyst").order_by("pk")]


@dataclass(frozen=True)
class ComparedField:
    """One judged field across the judgements of a round, read side by side."""

    name: str
    label: str
    values: tuple[str, ...]

    @property
    def differs(self) -> bool:
        return len(set(self.values)) > 1


def side_by_side(judgements: list[Assessment]) -> list[ComparedField]:
    """Each field that decides agreement, with every judgement's value as shown to people."""
    labels = {
        "outcome": gettext("Outcome"),
        "category": gettext("Category"),
        "age_group": gettext("Age"),
        "sex": gettext("Sex"),
        "self_generated": self_generated_label(),
    }
    return [
        ComparedField(
            name, labels[name], tuple(getattr(a, f"get_{name}_display")() for a in judgements)
        )
        for name in JUDGEMENT_FIELDS
    ]
