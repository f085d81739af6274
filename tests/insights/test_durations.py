"""Times to removal in the manager's language: "1 d 0 h", "1 j 0 h", "1 T 0 Std."."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.utils import translation

from tests.insights.test_statistics import decided
from turntide.insights.views import duration_text

DURATIONS = [
    # duration, English, French, German
    (timedelta(days=1), "1 d 0 h", "1 j 0 h", "1 T 0 Std."),
    (timedelta(hours=3, minutes=10), "3 h 10 min", "3 h 10 min", "3 Std. 10 Min."),
    (timedelta(minutes=40), "40 min", "40 min", "40 Min."),
    (None, "none removed", "aucune retirée", "keine entfernt"),
]


@pytest.mark.parametrize(("duration", "en", "fr", "de"), DURATIONS)
def test_a_duration_uses_each_languages_abbreviations(
    duration: timedelta | None, en: str, fr: str, de: str
) -> None:
    for language, expected in (("en", en), ("fr", fr), ("de", de)):
        with translation.override(language):
            assert duration_text(duration) == expected


@pytest.mark.parametrize(
    ("language", "shown"),
    [("en", "2 d 5 h"), ("fr", "2 j 5 h"), ("de", "2 T 5 Std.")],
)
def test_the_dashboard_shows_times_to_removal_in_the_browser_language(
    client: Client, manager, language: str, shown: str
) -> None:
    decided(datetime(2021, 3, 3, tzinfo=UTC), category="A", removed_after=timedelta(hours=53))
    client.force_login(manager)
    page = client.get("/insights/", {"period": "2021"}, headers={"Accept-Language": language})
    assert f'<span class="glance-value" id="removal-median">{shown}</span>' in page.content.decode()
