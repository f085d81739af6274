"""The case page's timeline: every report with the reporter's answers and every audited step,
in time order, each with who and when; judgements stay out of it while verification is blind."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.cases.grading import GRADING
from turntide.cases.models import URLCase
from turntide.reports.actions import do_receive_report

pytestmark = pytest.mark.django_db

URL = "http://told.example/gallery/1.html"


def steps(page: str) -> list[str]:
    timeline = re.search(r'<ol class="timeline".*?</ol>', page, re.S)
    assert timeline is not None
    return re.findall(r"<strong>([^<]+)</strong>", timeline.group())


@pytest.fixture
def told() -> URLCase:
    """Two reports, the earlier one with every answer a reporter can give."""
    now = timezone.now()
    do_receive_report("public", [URL], received_at=now - timedelta(days=1))
    do_receive_report(
        "public",
        [URL],
        content_type="videos",
        found_where="social",
        description="shared in a group chat",
        immediate_danger=True,
        received_at=now - timedelta(days=2),
    )
    return URLCase.objects.get(canonical_url=URL)


def test_reports_with_their_answers_then_claims_and_judgements_in_time_order(
    client: Client, analyst, told: URLCase
) -> None:
    client.force_login(analyst)
    client.post("/cases/next/")
    client.post(f"/cases/{told.code}/", GRADING)
    page = client.get(f"/cases/{told.code}/").content.decode()
    assert steps(page) == ["Report", "Report", "Claimed", "First judgement"]
    timeline = page[page.index('<ol class="timeline"') :]
    first_report = timeline[: timeline.index("</li>")]
    for answer in (
        "saw: Videos",
        "found: Social media or an app",
        "a child may be in immediate danger",
        '<q class="free-text">shared in a group chat</q>',
    ):
        assert answer in first_report
    assert "· ada · outcome: criminal · category: A" in timeline


def test_a_blind_verifier_s_timeline_tells_no_judgement(
    client: Client, analyst, make_staff, told: URLCase, settings
) -> None:
    settings.TURNTIDE_VERIFICATION_RULES = ["category:A"]
    client.force_login(analyst)
    client.post(f"/cases/{told.code}/", GRADING)
    client.force_login(make_staff("bea", "analyst"))
    page = client.get(f"/cases/{told.code}/").content.decode()
    assert steps(page) == ["Report", "Report"]
    timeline = page[page.index('<ol class="timeline"') :]
    assert "outcome:" not in timeline[: timeline.index("</ol>")]
