"""The hash list API: deltas (JSON, CSV), server-side matching, capture tools' submissions."""

from __future__ import annotations

import csv
import hashlib

import pytest
from django.test import Client

from tests.hashes.conftest import MD5, flip, pdq
from turntide.audit.models import Event
from turntide.hashes.actions import do_withdraw_hashes
from turntide.hashes.models import HashEntry
from turntide.members.actions import do_create_organisation, do_issue_token


def token_for(*services: str, name: str = "Example Platform", kind: str = "platform") -> str:
    organisation = do_create_organisation("system", name, services, kind=kind)
    return do_issue_token("system", organisation, services)[1]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_the_list_and_its_deltas_as_json(client: Client, add) -> None:
    add(("pdq", pdq(1)), ("md5", MD5))
    token = token_for("hash-list")
    body = client.get("/api/v1/lists/hashes", headers=bearer(token)).json()
    assert body["version"] == 1
    assert body["added"] == [
        {
            "type": "pdq",
            "value": pdq(1),
            "category": "B",
            "source": "Partner Hotline",
            "threshold": 31,
        },
        {"type": "md5", "value": MD5, "category": "B", "source": "Partner Hotline"},
    ]
    do_withdraw_hashes("sam", HashEntry.objects.filter(type="md5"), "false_positive")
    delta = client.get("/api/v1/lists/hashes", {"since": 1}, headers=bearer(token)).json()
    assert delta == {"version": 2, "added": [], "removed": [{"type": "md5", "value": MD5}]}
    event = Event.objects.filter(action="list.downloaded").last()
    assert event.details == {"list": "hashes", "since": 1, "version": 2, "format": "json"}


@pytest.mark.parametrize(
    ("path", "query", "accept"),
    [
        ("/api/v1/lists/hashes.csv", {}, None),
        ("/api/v1/lists/hashes", {"format": "csv"}, None),  # the older spellings
        ("/api/v1/lists/hashes", {}, "text/csv"),
    ],
)
def test_the_list_as_csv(client: Client, add, path, query, accept) -> None:
    add(("pdq", pdq(1)))
    headers = bearer(token_for("hash-list")) | ({"Accept": accept} if accept else {})
    response = client.get(path, query, headers=headers)
    assert response["Content-Type"].startswith("text/csv")
    assert response["X-Turntide-List-Version"] == "1"
    lines = response.content.decode().splitlines()
    assert lines[0] == "# turntide hashes list version=1 since=0"
    assert list(csv.reader(lines[1:])) == [
        ["change", "type", "value", "category", "source", "threshold"],
        ["added", "pdq", pdq(1), "B", "Partner Hotline", "31"],
    ]


@pytest.mark.django_db
def test_a_token_without_the_scope_gets_403_and_a_bad_token_401(client: Client) -> None:
    url_only = token_for("url-list")
    assert client.get("/api/v1/lists/hashes", headers=bearer(url_only)).status_code == 403
    assert client.get("/api/v1/lists/hashes", headers=bearer("tt_nonsense")).status_code == 401
    assert client.get("/api/v1/lists/hashes").status_code == 401
    answer = client.post(
        "/api/v1/match/hashes",
        {"hashes": [{"type": "md5", "value": MD5}]},
        content_type="application/json",
        headers=bearer(url_only),
    )
    assert answer.status_code == 403


def test_matching_on_the_server_answers_each_hash_and_is_audited(client: Client, add) -> None:
    add(("pdq", pdq(1)), ("md5", MD5), category="A")
    hashes = [
        {"type": "pdq", "value": flip(pdq(1), 30)},
        {"type": "pdq", "value": flip(pdq(1), 32)},
        {"type": "md5", "value": MD5},
        {"type": "sha1", "value": "not hex"},
    ]
    response = client.post(
        "/api/v1/match/hashes",
        {"hashes": hashes},
        content_type="application/json",
        headers=bearer(token_for("match")),
    )
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["matches"] for r in results[:3]] == [
        [{"type": "pdq", "distance": 30, "category": "A", "source": "Partner Hotline"}],
        [],
        [{"type": "md5", "distance": 0, "category": "A", "source": "Partner Hotline"}],
    ]
    assert "40 hexadecimal digits" in results[3]["error"]
    event = Event.objects.get(action="hashes.matched")
    assert (event.details["checked"], event.details["matched"]) == (4, 2)


@pytest.mark.django_db
def test_more_than_ten_thousand_hashes_are_refused(client: Client) -> None:
    hashes = [{"type": "md5", "value": MD5}] * 10_001
    response = client.post(
        "/api/v1/match/hashes",
        {"hashes": hashes},
        content_type="application/json",
        headers=bearer(token_for("match")),
    )
    assert response.status_code == 400


@pytest.fixture
def capture_token(db: None) -> str:
    return token_for("report", name="Hotline capture", kind="proactive")


def capture(client: Client, token: str, code: str, hashes: list[dict]):
    return client.post(
        f"/api/v1/cases/{code}/hashes",
        {"hashes": hashes},
        content_type="application/json",
        headers=bearer(token),
    )


def test_capture_tools_add_the_hashes_of_a_criminal_case(
    client: Client, capture_token, analyst
) -> None:
    from tests.members.test_url_list import actioned

    case = actioned(analyst, "http://captured.example/1.html")
    response = capture(
        client,
        capture_token,
        case.code,
        [
            {"type": "pdq", "value": pdq(7), "quality": 88},
            {"type": "pdq", "value": pdq(8), "quality": 20},
            {"type": "md5", "value": MD5.upper(), "category": "A"},
        ],
    )
    assert response.status_code == 200
    body = response.json()
    assert [r.get("outcome") for r in body["results"]] == ["added", None, "added"]
    assert "below 50" in body["results"][1]["error"]
    entries = {e.type: e for e in HashEntry.objects.filter(case=case)}
    assert entries["pdq"].category == "C"  # the case's grading
    assert entries["md5"].category == "A"
    assert entries["pdq"].source.trust == "hotline"
    assert entries["pdq"].added_by.startswith("token:")


def test_capture_refuses_outsiders_unknown_and_undecided_cases(
    client: Client, capture_token, reported_case
) -> None:
    item = [{"type": "md5", "value": MD5}]
    reporter = token_for("report", name="Trusted Reporter", kind="filtering")
    assert capture(client, reporter, reported_case.code, item).status_code == 403
    assert capture(client, capture_token, "C-NOPE", item).status_code == 404
    response = capture(client, capture_token, reported_case.code, item)
    assert response.status_code == 409
    assert "record the assessment first" in response.json()["detail"]
    assert not HashEntry.objects.exists()


def test_capture_refuses_degenerate_hashes_one_by_one_whatever_quality_is_claimed(
    client: Client, capture_token, analyst
) -> None:
    from tests.members.test_url_list import actioned

    case = actioned(analyst, "http://captured.example/2.html")
    empty_md5 = hashlib.md5(b"", usedforsecurity=False).hexdigest()
    empty_sha1 = hashlib.sha1(b"", usedforsecurity=False).hexdigest()
    response = capture(
        client,
        capture_token,
        case.code,
        [
            {"type": "md5", "value": empty_md5},
            {"type": "sha1", "value": empty_sha1.upper()},
            {"type": "pdq", "value": "0" * 64, "quality": 100},
            {"type": "pdq", "value": "F" * 64, "quality": 100},
            {"type": "pdq", "value": pdq(9), "quality": 100},
        ],
    )
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r.get("outcome") for r in results] == [None, None, None, None, "added"]
    assert "empty file" in results[0]["error"]
    assert "empty file" in results[1]["error"]
    assert "all zeros" in results[2]["error"]
    assert "all ones" in results[3]["error"]
    assert list(HashEntry.objects.values_list("value", flat=True)) == [pdq(9)]
    only_refused = capture(client, capture_token, case.code, [{"type": "md5", "value": empty_md5}])
    assert only_refused.json()["version"] == 1  # nothing listed: no new version
    assert HashEntry.objects.count() == 1
