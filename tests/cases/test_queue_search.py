"""The queue: one search over every case in every status, pages whose rows add up to the
heading's count, and sortable columns."""

from __future__ import annotations

import re

import pytest
from django.test import Client

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
