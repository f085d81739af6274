"""The queue: one search over every case in every status, pages whose rows add up to the
heading's count, and sortable columns."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from turntide.cases.actions import do_claim
from turntide.cases.models import URLCase
from turntide.reports.actions import do_receive_report

pytestmark = pytest.mark.django_db

STATUSES = [status for status, _label in URLCase.Status.choices]


@pytest.fixture
def ada(client: Client, analyst) -> Client:
    client.force_login(analyst)
    return client


def case_in(status: str) -> tuple[URLCase, str]:
    """A case on img.<status>.example in the given status, and its report's reference."""
    report, [reported] = do_receive_report("public", [f"http://img.{status}.example/p/1.html"])
    case = URLCase.objects.get(url_key=reported.url_key)
    URLCase.objects.filter(pk=case.pk).update(status=status)
    case.refresh_from_db()
    return case, report.reference


def found(client: Client, query: dict[str, str]) -> list[str]:
    return [case.code for case in client.get("/cases/", query).context["cases"]]


@pytest.mark.parametrize("status", STATUSES)
def test_search_finds_a_case_in_every_status_by_each_key(ada: Client, status: str) -> None:
    case, reference = case_in(status)
    case_in("new" if status != "new" else "removed")  # another case, never found
    for key in (
        case.code,
        case.code.lower(),
        reference,
        f"HTTPS://IMG.{status.upper()}.example:443/p/./x/../1.html#top",
        f"img.{status}.example",  # the host
        f"{status}.example",  # the domain: every host under it
    ):
        assert found(ada, {"q": key}) == [case.code], key
    page = ada.get("/cases/", {"q": case.code}).content.decode()
    assert str(URLCase.Status(status).label) in page
    assert "(1 found)" in page


def test_a_domain_finds_the_hosts_under_it_not_names_that_merely_contain_it(
    ada: Client,
) -> None:
    case, _reference = case_in("new")
    do_receive_report("public", ["http://new.example.com/a", "http://renew.example/b"])
    assert found(ada, {"q": "new.example"}) == [case.code]
    renew = URLCase.objects.get(canonical_url="http://renew.example/b").code
    assert found(ada, {"q": "renew"}) == [renew]  # no host name: part of an address


def test_a_path_is_not_read_as_a_host(ada: Client) -> None:
    case_in("new")
    assert found(ada, {"q": "http://img.new.example/other.html"}) == []


def test_without_a_search_the_queue_holds_open_cases_and_a_status_filter_any(ada: Client) -> None:
    open_case, _ = case_in("new")
    removed, _ = case_in("removed")
    assert found(ada, {}) == [open_case.code]
    assert found(ada, {"status": "removed"}) == [removed.code]


def test_pages_add_up_to_the_count_in_the_heading(ada: Client) -> None:
    do_receive_report("public", [f"http://many.example/{n}" for n in range(105)])
    first = ada.get("/cases/")
    assert first.context["waiting"] == 105
    assert "(105 waiting)" in first.content.decode()
    second = ada.get("/cases/", {"page": "2"})
    codes = [c.code for c in first.context["cases"]] + [c.code for c in second.context["cases"]]
    assert (len(first.context["cases"]), len(second.context["cases"])) == (100, 5)
    assert sorted(codes) == sorted(URLCase.objects.values_list("code", flat=True))
    assert "Cases 101–105 of 105 (page 2 of 2)" in second.content.decode()  # noqa: RUF001
    assert 'href="?page=2" rel="next"' in first.content.decode()


def test_pages_keep_the_search_filters_and_order(ada: Client) -> None:
    do_receive_report("public", [f"http://many.example/{n}" for n in range(101)])
    page = ada.get("/cases/", {"q": "many.example", "sort": "-reports"}).content.decode()
    assert 'href="?q=many.example&amp;sort=-reports&amp;page=2" rel="next"' in page


def test_columns_sort_both_ways_and_say_so(ada: Client) -> None:
    do_receive_report("public", ["http://popular.example/", "http://quiet.example/"])
    do_receive_report("public", ["http://popular.example/"])
    popular = URLCase.objects.get(canonical_url="http://popular.example/").code
    quiet = URLCase.objects.get(canonical_url="http://quiet.example/").code
    assert found(ada, {"sort": "reports"}) == [quiet, popular]
    assert found(ada, {"sort": "-reports"}) == [popular, quiet]
    page = ada.get("/cases/", {"sort": "reports"}).content.decode()
    heading = re.search(r'<th scope="col" aria-sort="ascending"><a href="\?([^"]+)"', page)
    assert heading is not None
    assert heading.group(1) == "sort=-reports"  # the next press sorts the other way
    assert found(ada, {"sort": "nonsense"}) == found(ada, {})


@pytest.mark.parametrize("status", STATUSES)
def test_a_registrable_domain_in_any_spelling_finds_every_host_under_it(
    ada: Client, status: str
) -> None:
    under = [
        "http://shop.example/a",
        "http://img.cdn.shop.example/b.jpg",
        "http://www.shop.example/c",
    ]
    beside = [
        "http://eshop.example/d",
        "http://shop.example.test/e",
        "http://x.example/shop.example",
    ]
    do_receive_report("public", under + beside)
    URLCase.objects.update(status=status)
    codes = sorted(URLCase.objects.filter(canonical_url__in=under).values_list("code", flat=True))
    for spelling in ("shop.example", "SHOP.Example.", "https://shop.example/"):
        assert sorted(found(ada, {"q": spelling})) == codes, spelling


def test_part_of_an_address_is_found_in_any_case_of_letters(ada: Client) -> None:
    do_receive_report("public", ["http://album.example/Gallery/1.html", "http://x.example/"])
    gallery = URLCase.objects.get(canonical_url__contains="Gallery").code
    assert found(ada, {"q": "gallery/1"}) == [gallery]
    assert found(ada, {"q": "(gallery"}) == []  # typed text, not a pattern


def test_the_source_column_sorts_by_the_trust_of_the_best_source(ada: Client) -> None:
    do_receive_report("public", ["http://public.example/"])
    do_receive_report("system", ["http://proactive.example/"], channel="proactive")
    do_receive_report("acme", ["http://trusted.example/"], channel="trusted")
    do_receive_report("public", ["http://trusted.example/"])  # the best source counts
    by_host = {c.canonical_url.split("/")[2]: c.code for c in URLCase.objects.all()}
    public, trusted, proactive = (
        by_host[f"{n}.example"] for n in ("public", "trusted", "proactive")
    )
    assert found(ada, {"sort": "source"}) == [public, trusted, proactive]
    assert found(ada, {"sort": "-source"}) == [proactive, trusted, public]


@pytest.mark.parametrize(
    ("key", "order"),
    [
        ("danger", ["calm", "urgent"]),
        ("status", ["calm", "urgent"]),  # new before verifying
        ("reports", ["urgent", "calm"]),
        ("country", ["calm", "urgent"]),  # DE before NL
        ("due", ["calm", "urgent"]),
    ],
)
def test_each_column_sorts_both_ways(ada: Client, key: str, order: list[str]) -> None:
    do_receive_report("public", ["http://calm.example/", "http://calm.example/x"])
    do_receive_report("public", ["http://calm.example/"])
    do_receive_report("public", ["http://urgent.example/"], immediate_danger=True)
    URLCase.objects.filter(canonical_url="http://calm.example/x").update(status="removed")
    URLCase.objects.filter(canonical_url="http://calm.example/").update(hosting_country="DE")
    urgent = URLCase.objects.get(canonical_url="http://urgent.example/")
    URLCase.objects.filter(pk=urgent.pk).update(
        status="verifying", hosting_country="NL", due_at=urgent.due_at + timedelta(hours=1)
    )
    codes = {n: URLCase.objects.get(canonical_url=f"http://{n}.example/").code for n in order}
    assert found(ada, {"sort": key}) == [codes[n] for n in order]
    assert found(ada, {"sort": f"-{key}"}) == [codes[n] for n in reversed(order)]


def queries_for(client: Client, query: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/cases/", query).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "query", [{}, {"status": "new"}, {"q": "rows.example"}, {"sort": "-source"}, {"page": "2"}]
)
def test_a_page_of_many_rows_takes_no_more_queries_than_a_page_of_one(
    ada: Client, make_staff, query: dict[str, str]
) -> None:
    do_receive_report("acme", ["http://rows.example/0"], channel="trusted")
    few = queries_for(ada, query)
    do_receive_report(
        "acme", [f"http://rows.example/{n}" for n in range(1, 150)], channel="trusted"
    )
    for number, case in enumerate(URLCase.objects.all()[:20]):
        do_claim(make_staff(f"claimer{number}", "analyst"), case)
    assert queries_for(ada, query) == few
    assert few <= 13
