"""Time to removal, exact on a hand-made set; the page and its CSV; who may see them."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client

from tests.takedown.conftest import T0
from turntide.audit.models import Event
from turntide.cases.models import URLCase
from turntide.takedown.figures import quantile, removal_figures
from turntide.takedown.models import HostingTrace, Takedown


def removal(number: int, host: str, asn: int, country: str, route: str, hours: float | None):
    case = URLCase.objects.create(
        url_key=f"{number:064x}",
        canonical_url=f"http://{host}/{number}",
        status=URLCase.Status.REMOVED if hours is not None else URLCase.Status.ACTIONED,
        actioned_at=T0,
        removed_at=T0 + timedelta(hours=hours) if hours is not None else None,
    )
    trace = HostingTrace.objects.create(case=case, host=host, asn=asn, country=country)
    Takedown.objects.create(case=case, route=route, trace=trace, started_at=T0)


@pytest.fixture
def removals(db: None) -> None:
    for number, hours in enumerate((10, 1, 3, 2)):
        removal(number, "a.host.test", 64501, "GB", "home", hours)
    removal(10, "b.host.test", 64502, "NL", "partner", 48)
    removal(11, "b.host.test", 64502, "NL", "partner", None)  # still up: not counted


def test_quantiles_interpolate_between_order_statistics() -> None:
    assert quantile([5.0], 0.9) == 5.0
    assert quantile([1.0, 2.0, 3.0, 10.0], 0.5) == 2.5
    assert quantile([1.0, 2.0, 3.0, 10.0], 0.9) == pytest.approx(7.9)


def test_figures_are_exact_per_host_network_country_and_route(removals) -> None:
    home = (4, 2.5, pytest.approx(7.9))
    partner = (1, 48.0, 48.0)
    found = {
        (f.dimension, f.key): (f.removed, f.median_hours, f.p90_hours) for f in removal_figures()
    }
    assert found == {
        ("all", "all"): (5, 3.0, pytest.approx(32.8)),
        ("host", "a.host.test"): home,
        ("host", "b.host.test"): partner,
        ("asn", "AS64501"): home,
        ("asn", "AS64502"): partner,
        ("country", "GB"): home,
        ("country", "NL"): partner,
        ("route", "home"): home,
        ("route", "partner"): partner,
    }
    dimensions = [f.dimension for f in removal_figures()]
    assert list(dict.fromkeys(dimensions)) == ["all", "host", "asn", "country", "route"]


def test_the_figures_page_and_csv_for_a_manager(client: Client, manager, removals) -> None:
    client.force_login(manager)
    page = client.get("/takedown/figures/")
    assert page.status_code == 200
    assert "a.host.test" in page.content.decode()
    response = client.get("/takedown/figures.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_key = {(row["dimension"], row["key"]): row for row in rows}
    assert by_key["route", "home"] == {
        "dimension": "route",
        "key": "home",
        "removed": "4",
        "median_hours": "2.50",
        "p90_hours": "7.90",
    }
    assert len(rows) == 9
    assert Event.objects.filter(action="takedown.figures_downloaded", actor="mia").count() == 1


@pytest.mark.parametrize("persona", ["analyst", "researcher", "outsider"])
def test_the_figures_are_for_those_who_see_statistics(client: Client, persona, request) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/takedown/figures/").status_code == 403
    assert client.get("/takedown/figures.csv").status_code == 403


def test_the_takedown_figures_and_the_insights_count_the_same_removals(
    client: Client, manager, removals
) -> None:
    """One definition of removal: cases removed before takedowns ran here (imported, no
    takedown) count on both pages, and a case never actioned counts on neither."""
    from turntide.insights.periods import Period
    from turntide.insights.statistics import removal_times

    for number, hours in ((20, 5.0), (21, 30.0)):  # imported history: no takedown
        URLCase.objects.create(
            url_key=f"{number:064x}",
            canonical_url=f"http://imported{number}.host.test/",
            status=URLCase.Status.REMOVED,
            hosting_country="US",
            actioned_at=T0,
            removed_at=T0 + timedelta(hours=hours),
        )
    URLCase.objects.create(  # removed, but its clock never started: not a removal figure
        url_key=f"{30:064x}",
        canonical_url="http://never-noticed.host.test/",
        status=URLCase.Status.REMOVED,
        removed_at=T0,
    )
    period = Period(T0.year)
    insights = removal_times(period.start, period.end)
    [overall] = [f for f in removal_figures(period.start, period.end) if f.dimension == "all"]
    assert overall.removed == insights.removed == 7
    assert overall.median_hours == pytest.approx(insights.median.total_seconds() / 3600)
    assert overall.p90_hours == pytest.approx(insights.p90.total_seconds() / 3600)
    route_none = {(f.dimension, f.key): f.removed for f in removal_figures()}["route", "none"]
    assert route_none == 2
    client.force_login(manager)
    page = client.get(f"/takedown/figures/?year={T0.year}").content.decode()
    assert "imported20.host.test" in page
    assert (
        client.get(f"/takedown/figures/?year={T0.year + 1}")
        .content.decode()
        .count("No removals yet.")
        == 5
    )
