"""Exchange fixtures: a stand-in ICCAM on loopback, the exchange configured to use it, and a
case judged criminal by this hotline's analyst, traced to a host abroad."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.exchange.standin import PASSWORD, USERNAME, StandInICCAM
from turntide.cases.actions import do_assess
from turntide.cases.models import Assessment, URLCase
from turntide.reports.actions import do_receive_report
from turntide.takedown.models import HostingTrace


@pytest.fixture
def iccam(db: None, settings: Any) -> Iterator[StandInICCAM]:
    service = StandInICCAM().start()
    settings.TURNTIDE_ICCAM_URL = service.url
    settings.TURNTIDE_ICCAM_USERNAME = USERNAME
    settings.TURNTIDE_ICCAM_PASSWORD = PASSWORD
    settings.TURNTIDE_ICCAM_COUNTRY = "GB"
    yield service
    service.stop()


@pytest.fixture
def sync() -> Callable[[], int]:
    """`turntide iccam sync`, as cron runs it."""
    from turntide.cli import main

    return lambda: main(["iccam", "sync"])


@pytest.fixture
def judge(analyst: Any) -> Callable[..., URLCase]:
    """A reported case, judged by our analyst with the given grading."""

    def make(url: str, **grading: Any) -> URLCase:
        _report, urls = do_receive_report("public", [url])
        case = URLCase.objects.get(url_key=urls[0].url_key)
        do_assess(analyst, case, Assessment(**grading))
        case.refresh_from_db()
        return case

    return make


@pytest.fixture
def criminal_case(judge: Callable[..., URLCase]) -> URLCase:
    case = judge(
        "http://gallery.example/albums/7",
        outcome="criminal",
        category="A",
        age_group="3-6",
        sex="girls",
        self_generated="yes",
        site_type="forum",
        commercial=True,
        hosting_country="NL",
    )
    HostingTrace.objects.create(
        case=case,
        host="gallery.example",
        addresses=["192.0.2.10", "192.0.2.11"],
        asn=64500,
        as_name="Example Hosting BV",
        country="DE",
        cdn="",
    )
    return case
