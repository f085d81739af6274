"""URL list rules beyond the basics: removal grace, whole sites, the builder's check, keyed
hashes for one member, and the CSV and DNS RPZ formats."""

from __future__ import annotations

import csv
import hashlib
import hmac
import logging
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.members.test_url_list import actioned, get, token_for
from turntide.audit.models import Event
from turntide.cases.models import URLCase
from turntide.core.urllist import URLList
from turntide.members.actions import do_set_list_key
from turntide.members.dedicated import (
    DedicatedSiteError,
    do_mark_dedicated,
    do_withdraw_dedicated,
)
from turntide.members.lists import do_publish_url_list, url_list_delta
from turntide.members.models import DedicatedSite, Organisation


def sha(expression: str) -> str:
    return hashlib.sha256(expression.encode()).hexdigest()


def listed() -> set[str]:
    return {entry["expression"] for entry in url_list_delta(0).added}


def test_a_removed_url_stays_listed_for_the_grace_period(analyst, settings) -> None:
    settings.TURNTIDE_LIST_REMOVAL_GRACE_HOURS = 24
    case = actioned(analyst, "http://gone.example/a")
    do_publish_url_list()
    now = timezone.now()
    URLCase.objects.filter(pk=case.pk).update(
        status=URLCase.Status.REMOVED, removed_at=now - timedelta(hours=23)
    )
    do_publish_url_list()
    assert listed() == {"gone.example/a"}
    URLCase.objects.filter(pk=case.pk).update(removed_at=now - timedelta(hours=25))
    do_publish_url_list()
    assert listed() == set()


def test_no_grace_withdraws_at_the_next_publication(analyst, settings) -> None:
    settings.TURNTIDE_LIST_REMOVAL_GRACE_HOURS = 0
    case = actioned(analyst, "http://gone.example/b")
    URLCase.objects.filter(pk=case.pk).update(
        status=URLCase.Status.REMOVED, removed_at=timezone.now()
    )
    do_publish_url_list()
    assert listed() == set()


def test_a_senior_lists_a_whole_site_and_can_withdraw_it(analyst, senior_analyst) -> None:
    case = actioned(analyst, "http://cdn.dedicated.example/x/1.jpg")
    site = do_mark_dedicated(senior_analyst, case, "dedicated.example", "a gallery site")
    do_publish_url_list()
    entries = {e["expression"]: e for e in url_list_delta(0).added}
    assert entries["dedicated.example/"]["kind"] == "domain"
    assert entries["dedicated.example/"]["sha256"] == sha("dedicated.example/")
    # Every page of the site and its subdomains now matches on the member side.
    member = URLList.from_snapshot(
        {"version": 1, "psl_version": "none", "added": url_list_delta(0).added, "removed": []}
    )
    assert member.check("https://www.dedicated.example/other/page.html")
    assert Event.objects.filter(action="list.site_marked_dedicated").exists()

    do_withdraw_dedicated(senior_analyst, site.pk)
    do_publish_url_list()
    assert listed() == {"cdn.dedicated.example/x/1.jpg"}


@pytest.mark.parametrize(
    ("case_url", "host", "reason", "message"),
    [
        ("http://www.sample.example/p", "other.example", "gallery", "neither"),
        # A suffix of the name as a string, but not a parent domain.
        ("http://www.sample.example/p", "ample.example", "gallery", "neither"),
        ("http://a.b.c.d.e.example/p", "a.b.c.d.e.example", "gallery", "more than five"),
        ("http://www.sample.example/p", "sample.example", "   ", "say why"),
        # Public suffixes, with the list's private section: never a whole "site".
        ("http://bad.example.co.uk/p", "co.uk", "gallery", "public suffix"),
        ("http://abuse.blogspot.com/p", "blogspot.com", "gallery", "public suffix"),
    ],
)
def test_a_whole_site_mark_is_refused_with_a_reason(
    analyst, senior_analyst, case_url: str, host: str, reason: str, message: str
) -> None:
    case = actioned(analyst, case_url)
    with pytest.raises(DedicatedSiteError, match=message):
        do_mark_dedicated(senior_analyst, case, host, reason)
    assert not DedicatedSite.objects.exists()


def test_only_a_criminal_case_can_mark_its_site(senior_analyst, reported_case) -> None:
    with pytest.raises(DedicatedSiteError, match="assessed criminal"):
        do_mark_dedicated(senior_analyst, reported_case, "case.example", "why")


def test_the_builder_refuses_an_entry_no_client_generates(analyst, caplog) -> None:
    case = actioned(analyst, "http://drift.example/a")
    # As if canonicalisation rules had moved since the case was keyed: its stored URL no
    # longer hashes to its key.
    URLCase.objects.filter(pk=case.pk).update(canonical_url="http://drift.example/A")
    with caplog.at_level(logging.WARNING, logger="turntide.members.lists"):
        version = do_publish_url_list()
    assert version == 0
    assert listed() == set()
    assert "clients never generate it" in caplog.text


def test_a_keyed_member_gets_hmacs_under_its_own_key(client: Client, analyst) -> None:
    actioned(analyst, "http://keyed.example/a")
    do_publish_url_list()
    plain_token = token_for("url-list", name="Plain ISP")
    keyed_token = token_for("url-list", name="Keyed ISP")
    key = do_set_list_key("system", Organisation.objects.get(name="Keyed ISP"))
    plain, keyed = get(client, plain_token).json(), get(client, keyed_token).json()
    assert plain["keyed"] is False
    assert keyed["keyed"] is True
    assert plain["added"][0]["sha256"] == sha("keyed.example/a")
    expected = hmac.new(key.encode(), b"keyed.example/a", hashlib.sha256).hexdigest()
    assert keyed["added"][0]["sha256"] == expected
    member = URLList.from_snapshot(keyed)
    member.use_key(key.encode())
    assert member.check("http://KEYED.example/a#x")
    # The key stays put unless rotated; rotating changes every hash, so a copy made before
    # it is refused deltas (409) until it starts again from the whole list.
    organisation = Organisation.objects.get(name="Keyed ISP")
    assert do_set_list_key("system", organisation) == key
    since = keyed["version"]
    assert do_set_list_key("system", organisation, rotate=True) != key
    assert get(client, keyed_token, since=since).status_code == 409
    assert get(client, keyed_token, since=0).status_code == 200
    assert get(client, plain_token, since=since).status_code == 200  # other members unaffected


@pytest.mark.parametrize(
    ("path", "query"),
    [("/api/v1/lists/urls.csv", {}), ("/api/v1/lists/urls", {"format": "csv"})],
)
def test_csv_format(client: Client, analyst, path, query) -> None:
    actioned(analyst, "http://csv.example/a")
    version = do_publish_url_list()
    response = client.get(
        path,
        query,
        headers={"Authorization": f"Bearer {token_for('url-list-plain', name='Vendor')}"},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["X-Turntide-List-Version"] == str(version)
    lines = response.content.decode().splitlines()
    assert lines[0] == f"# turntide urls list version={version} since=0"
    assert list(csv.reader(lines[1:])) == [
        ["change", "sha256", "kind", "expression"],
        ["added", sha("csv.example/a"), "url", "csv.example/a"],
    ]


def test_a_csv_expression_hashes_to_its_sha256_even_where_a_spreadsheet_sees_a_formula(
    client: Client, analyst
) -> None:
    actioned(analyst, "http://-dash.example/a.jpg")
    do_publish_url_list()
    token = token_for("url-list-plain", name="Vendor")
    response = client.get("/api/v1/lists/urls.csv", headers={"Authorization": f"Bearer {token}"})
    _change, digest, _kind, expression = next(
        csv.DictReader(response.content.decode().splitlines()[1:])
    ).values()
    assert expression == "-dash.example/a.jpg"
    assert digest == sha(expression)


def test_rpz_zone_holds_whole_sites_for_the_plain_scope_only(
    client: Client, analyst, senior_analyst
) -> None:
    case = actioned(analyst, "http://www.rpz.example/a")
    do_mark_dedicated(senior_analyst, case, "rpz.example", "dedicated")
    version = do_publish_url_list()
    plain = token_for("url-list-plain", name="Resolver Vendor")
    response = client.get(
        "/api/v1/lists/urls",
        {"format": "rpz", "since": version},  # a zone is always whole
        headers={"Authorization": f"Bearer {plain}"},
    )
    assert response.status_code == 200
    zone = response.content.decode().splitlines()
    assert f"@ SOA localhost. root.localhost. {version} 3600 600 604800 300" in zone
    assert "rpz.example CNAME ." in zone
    assert "*.rpz.example CNAME ." in zone
    assert not any("www.rpz.example" in line for line in zone)  # URL entries are not in it
    hashed = token_for("url-list", name="Hashed ISP")
    refused = client.get(
        "/api/v1/lists/urls", {"format": "rpz"}, headers={"Authorization": f"Bearer {hashed}"}
    )
    assert refused.status_code == 403


def test_the_answer_echoes_since_and_sorts_additions(client: Client, analyst) -> None:
    for n in range(5):
        actioned(analyst, f"http://sorted{n}.example/")
    do_publish_url_list()
    body = get(client, token_for("url-list"), since=0).json()
    hashes = [entry["sha256"] for entry in body["added"]]
    assert body["since"] == 0
    assert hashes == sorted(hashes)
    assert len(hashes) == 5
