"""The URL list: built from actioned cases, versioned, served as deltas (contract)."""

from __future__ import annotations

import hashlib

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from turntide.audit.models import Event
from turntide.cases.actions import do_assess
from turntide.cases.models import Assessment, URLCase
from turntide.core.urls import expressions
from turntide.members.actions import do_create_organisation, do_issue_token
from turntide.members.lists import PSL_VERSION, do_publish_url_list, url_list_delta
from turntide.reports.actions import do_receive_report

CRIMINAL = {"category": "C", "age_group": "14-15", "sex": "girls", "self_generated": "yes"}


def actioned(analyst, url: str) -> URLCase:
    _report, urls = do_receive_report("public", [url])
    case = URLCase.objects.get(url_key=urls[0].url_key)
    do_assess(analyst, case, Assessment(outcome="criminal", **CRIMINAL))
    return case


def token_for(*services: str, name: str = "Example ISP") -> str:
    organisation = do_create_organisation("system", name, services)
    return do_issue_token("system", organisation, services)[1]


def get(client: Client, token: str, since: int | None = None):
    query = {} if since is None else {"since": since}
    return client.get("/api/v1/lists/urls", query, headers={"Authorization": f"Bearer {token}"})


def test_an_actioned_case_is_on_the_list_as_the_hash_of_its_full_expression(
    client: Client, analyst
) -> None:
    case = actioned(analyst, "http://listed.example/gallery/1.html?id=2")
    version = do_publish_url_list()
    body = get(client, token_for("url-list")).json()
    assert body["version"] == version == 1
    assert body["psl_version"]
    full = expressions(case.canonical_url)[0]
    assert body["added"] == [{"sha256": hashlib.sha256(full.encode()).hexdigest(), "kind": "url"}]
    assert body["removed"] == []


def test_plain_expressions_only_for_the_plain_scope(client: Client, analyst) -> None:
    actioned(analyst, "http://plain.example/a")
    do_publish_url_list()
    body = get(client, token_for("url-list-plain", name="Trusted Vendor")).json()
    assert body["added"][0]["expression"] == "plain.example/a"


def test_deltas_carry_additions_and_withdrawals_since_a_version(client: Client, analyst) -> None:
    first = actioned(analyst, "http://one.example/")
    v1 = do_publish_url_list()
    actioned(analyst, "http://two.example/")
    URLCase.objects.filter(pk=first.pk).update(status=URLCase.Status.ASSESSED)  # appeal upheld
    v2 = do_publish_url_list()
    assert v2 == v1 + 1
    token = token_for("url-list")
    delta = get(client, token, since=v1).json()
    assert [e["sha256"] for e in delta["added"]] == [
        URLCase.objects.get(canonical_url="http://two.example/").url_key
    ]
    assert [e["sha256"] for e in delta["removed"]] == [first.url_key]
    assert get(client, token, since=v2).json() == {
        "version": v2,
        "since": v2,
        "psl_version": PSL_VERSION,
        "keyed": False,
        "added": [],
        "removed": [],
    }
    assert do_publish_url_list() == v2  # nothing changed: no new version


def test_every_download_is_audited(client: Client, analyst) -> None:
    token = token_for("url-list")
    get(client, token, since=0)
    event = Event.objects.get(action="list.downloaded")
    assert event.details["list"] == "urls"


@pytest.mark.django_db
def test_tokens_without_the_scope_or_revoked_get_403_and_401(client: Client) -> None:
    from turntide.members.actions import do_revoke_token
    from turntide.members.models import APIToken

    assert get(client, token_for("report", name="Reporter")).status_code == 403
    token = token_for("url-list", name="Lapsed ISP")
    do_revoke_token("system", APIToken.objects.get(organisation__name="Lapsed ISP"))
    assert get(client, token).status_code == 401
    assert client.get("/api/v1/lists/urls").status_code == 401


def test_an_assessment_reaches_the_list_through_the_worker(
    analyst, django_capture_on_commit_callbacks
) -> None:
    from turntide.members.tasks import publish_url_list

    with django_capture_on_commit_callbacks(execute=True):
        case = actioned(analyst, "http://fresh.example/")
    # The commit enqueued a publication; the worker runs it within its poll interval.
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.filter(task_path__endswith="publish_url_list").exists()
    publish_url_list.call()
    assert [e["sha256"] for e in url_list_delta(0).added] == [case.url_key]


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(steps=st.lists(st.tuples(st.integers(0, 7), st.booleans()), min_size=1, max_size=12))
def test_snapshot_v_plus_every_delta_since_v_is_the_current_snapshot(steps) -> None:
    cases = []
    for n in range(8):
        _r, urls = do_receive_report("public", [f"http://prop{n}-{len(steps)}.example/"])
        cases.append(URLCase.objects.get(url_key=urls[0].url_key))
    snapshots = {0: set()}
    for index, on_list in steps:
        status = URLCase.Status.ACTIONED if on_list else URLCase.Status.REMOVED
        URLCase.objects.filter(pk=cases[index].pk).update(status=status)
        version = do_publish_url_list()
        snapshots[version] = {e["sha256"] for e in url_list_delta(0).added}
    current = max(snapshots)
    for version, snapshot in snapshots.items():
        delta = url_list_delta(version)
        rebuilt = (snapshot - {e["sha256"] for e in delta.removed}) | {
            e["sha256"] for e in delta.added
        }
        assert rebuilt == snapshots[current]


def test_a_stored_url_the_rules_now_refuse_is_left_off_and_the_rest_goes_out(
    client: Client, analyst, caplog
) -> None:
    actioned(analyst, "http://good.example/a")
    bad = actioned(analyst, "http://bad.example/b")
    # As stored before the rules refused stray brackets; no validation stands in the way.
    bad_key = hashlib.sha256(b"[/").hexdigest()
    URLCase.objects.filter(pk=bad.pk).update(canonical_url="http://[/", url_key=bad_key)
    assert do_publish_url_list() == 1
    body = get(client, token_for("url-list-plain", name="Trusted Vendor")).json()
    assert [entry["expression"] for entry in body["added"]] == ["good.example/a"]
    assert f"refused list entry '[/' of case {bad.code}" in caplog.text
    assert do_publish_url_list() == 1  # and the next run is no different


def test_entries_published_before_the_rules_refused_them_are_withdrawn_once(
    client: Client, analyst
) -> None:
    """Migration members 0007 takes off `[/` as published before; the next publish keeps it off."""
    from importlib import import_module

    from django.apps import apps

    from turntide.members.models import URLListEntry

    migration = import_module(
        "turntide.members.migrations.0007_withdraw_entries_no_client_generates"
    )
    actioned(analyst, "http://good.example/a")
    bad = actioned(analyst, "http://bad.example/b")
    assert do_publish_url_list() == 1
    bad_key = hashlib.sha256(b"[/").hexdigest()
    URLCase.objects.filter(pk=bad.pk).update(canonical_url="http://[/", url_key=bad_key)
    URLListEntry.objects.filter(case_code=bad.code).update(sha256=bad_key, expression="[/")

    migration.withdraw_entries_no_client_generates(apps, None)
    migration.withdraw_entries_no_client_generates(apps, None)  # nothing more to withdraw

    token = token_for("url-list-plain", name="Trusted Vendor")
    delta = get(client, token, since=1).json()
    assert delta["version"] == 2
    assert [entry["expression"] for entry in delta["removed"]] == ["[/"]
    assert do_publish_url_list() == 2  # the publisher does not put it back
    assert [e["expression"] for e in get(client, token).json()["added"]] == ["good.example/a"]
