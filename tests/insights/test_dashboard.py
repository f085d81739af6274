"""The managers' dashboard, its CSV downloads and the printable annual report."""

from __future__ import annotations

import contextlib
import csv
import io
import re
import zlib
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.insights.test_statistics import decided
from turntide.cases.actions import do_assess
from turntide.cases.models import Assessment


@pytest.fixture
def history(db: None) -> None:
    """Three URLs actioned in 2021 (two self-generated), one in 2020, one judged harmless."""
    for month, self_generated, country in ((2, "yes", "NL"), (5, "yes", "US"), (9, "no", "NL")):
        decided(
            datetime(2021, month, 3, tzinfo=UTC),
            category="A",
            self_generated=self_generated,
            hosting_country=country,
        )
    decided(datetime(2020, 7, 1, tzinfo=UTC), category="B", self_generated="yes")
    decided(datetime(2021, 7, 1, tzinfo=UTC), "not_illegal")


def test_the_dashboard_counts_reports_and_actioned_urls(
    client: Client, manager, analyst, reported_case
) -> None:
    do_assess(
        analyst,
        reported_case,
        Assessment(
            outcome="criminal", category="A", age_group="7-10", sex="boys", self_generated="no"
        ),
    )
    client.force_login(manager)
    response = client.get("/insights/")
    assert response.context["cases_open"] == 0
    assert response.context["now"].reports_received == 1
    assert response.context["now"].urls_actioned == 1


def test_a_manager_sees_a_year_against_the_one_before(client: Client, manager, history) -> None:
    client.force_login(manager)
    response = client.get("/insights/", {"period": "2021"})
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["now"].urls_actioned == 3
    assert response.context["changes"].urls_actioned == 200.0
    assert '<td class="number" id="urls-actioned">3</td>' in html
    assert "+100.0%" in html  # self-generated: 2 against 1
    keys = [chart.key for chart in response.context["charts"]]
    assert keys == [
        "trend",
        "months",
        "channels",
        "category",
        "age_group",
        "sex",
        "self_generated",
        "site_type",
        "hosting_country",
    ]
    assert html.count('<svg class="chart-svg') == len(keys)
    assert html.count('<table class="data">') == len(keys)


def test_years_with_judgements_are_offered_newest_first(client: Client, manager, history) -> None:
    client.force_login(manager)
    response = client.get("/insights/", {"period": "2020"})
    assert response.context["years"] == [2021, 2020]
    assert '<a href="?period=2020" aria-current="page">2020</a>' in response.content.decode()


def test_any_earlier_period_can_be_the_comparison(client: Client, manager, history) -> None:
    client.force_login(manager)
    response = client.get("/insights/", {"period": "2021-Q1", "compare": "2020-07"})
    assert response.context["compare"].label == "2020-07"
    assert response.context["changes"].urls_actioned == 0.0


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"period": "2021-13"}, "the month must be 01 to 12"),
        ({"period": "soon"}, "is not a period"),
        ({"period": "2020", "compare": "2021"}, "Compare with an earlier period"),
    ],
)
def test_a_bad_period_is_named_and_the_default_shown(
    client: Client, manager, history, query, message
) -> None:
    client.force_login(manager)
    response = client.get("/insights/", query)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_each_chart_downloads_as_csv(client: Client, manager, history) -> None:
    client.force_login(manager)
    response = client.get("/insights/charts/hosting_country.csv", {"period": "2021"})
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="turntide-hosting_country-2021.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [["Hosting country", "URLs"], ["NL", "2"], ["US", "1"]]
    trend = client.get("/insights/charts/trend.csv", {"period": "2021"}).content.decode()
    assert trend.splitlines()[1:] == ["2020,1,1,1", "2021,4,3,2"]
    assert client.get("/insights/charts/nonsense.csv").status_code == 404
    assert client.get("/insights/charts/trend.csv", {"period": "x"}).status_code == 400


# Judgements are counted from their rows, or on PostgreSQL from its per-day counts.
JUDGEMENT_TABLES = ("cases_assessment", "insights_dailyjudgements")


@pytest.mark.parametrize(
    ("key", "tables"),
    [("hosting_country", JUDGEMENT_TABLES), ("channels", ("reports_report",))],
)
def test_a_chart_download_counts_only_what_its_chart_shows(
    client: Client, manager, history, key: str, tables: tuple[str, ...]
) -> None:
    client.force_login(manager)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/insights/charts/{key}.csv", {"period": "2021"})
    assert response.status_code == 200
    counting = [
        query["sql"]
        for query in queries
        if any(name in query["sql"] for name in (*JUDGEMENT_TABLES, "reports_report"))
        and "turntide_stats_zone" not in query["sql"]
    ]
    assert len(counting) == 1
    assert any(table in counting[0] for table in tables)


def test_the_annual_report_has_headlines_trends_and_hosting_countries(
    client: Client, manager, history
) -> None:
    client.force_login(manager)
    response = client.get("/insights/annual/2021/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<td class="number" id="annual-actioned">3</td>' in html
    assert "+200.0%" in html
    assert response.context["report"].countries == [("NL", 2, 66.7), ("US", 1, 33.3)]
    assert 'id="chart-trend"' in html
    assert "insights-print.css" in html


def pdf_text(pdf: bytes) -> str:
    """The text drawn in a PDF's (Flate-compressed) content streams."""
    streams = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S)
    texts = []
    for stream in streams:
        with contextlib.suppress(zlib.error):
            texts.append(zlib.decompress(stream).decode("latin-1"))
    return "".join(re.findall(r"\((.*?)\) Tj", "".join(texts)))


def test_the_annual_report_downloads_as_a_pdf(client: Client, manager, history) -> None:
    client.force_login(manager)
    page = client.get("/insights/annual/2021/").content.decode()
    assert 'href="/insights/annual/2021.pdf"' in page
    response = client.get("/insights/annual/2021.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    for expected in ("Annual report 2021", "URLs actioned", "+200.0%", "NL", "66.7%"):
        assert expected in text


@pytest.mark.parametrize(
    "path",
    [
        "/insights/",
        "/insights/annual/2021/",
        "/insights/annual/2021.pdf",
        "/insights/charts/trend.csv",
    ],
)
@pytest.mark.parametrize("persona", ["analyst", "researcher", "outsider"])
def test_only_statistics_roles_may_open_insights(
    client: Client, request: pytest.FixtureRequest, persona: str, path: str
) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get(path).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client: Client, db: None) -> None:
    response = client.get("/insights/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
