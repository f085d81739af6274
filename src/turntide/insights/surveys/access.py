"""Reads of surveys and waves: 404 for a code that is not there."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from turntide.insights.surveys.models import Survey, Wave

PERMISSION = "insights.analyse_surveys"


def surveys() -> QuerySet[Survey]:
    return Survey.objects.select_related("campaign").prefetch_related("waves")


def survey_by_code(code: str) -> Survey:
    return get_object_or_404(Survey.objects.select_related("campaign"), code=code)


def wave_of(survey: Survey, code: str) -> Wave:
    return get_object_or_404(Wave.objects.select_related("survey"), survey=survey, code=code)


def waves_of(survey: Survey) -> list[Wave]:
    """Without their encrypted content, which only an estimate needs."""
    return list(Wave.objects.filter(survey=survey).defer("content"))
