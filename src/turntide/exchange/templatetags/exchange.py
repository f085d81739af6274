"""`{% iccam_state case %}`: the case page's ICCAM section, drawn by the exchange app."""

from __future__ import annotations

from typing import Any

from django import template

from turntide.cases.models import URLCase
from turntide.exchange.access import case_state

register = template.Library()


@register.inclusion_tag("exchange/_case.html")
def iccam_state(case: URLCase) -> dict[str, Any]:
    return {"state": case_state(case)}
