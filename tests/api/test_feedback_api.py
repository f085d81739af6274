"""POST and GET /api/v1/lists/feedback: members' word on matches, each member its own."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.members.test_url_list import actioned
from turntide.audit.models import Event
from turntide.hashes.actions import checked_hash, do_add_hashes, do_create_source
from turntide.lists.models import Feedback
from turntide.members.actions import do_create_organisation, do_issue_token, do_set_list_key
from turntide.members.lists import do_publish_url_list, keyed_sha256, sha256_hex
from turntide.members.models import Organisation

MD5 = "2240baff51c700a73edc563e2caffc56"
SHA1 = "4129f2a4a0f5a30b43f3e4a1e0a8b5b5b2b0c0d1"


def member(name: str, *services: str, scopes: tuple[str, ...] = ()) -> str:
    """A token of a new organisation licensed for `services`, scoped to `scopes` or to all."""
    organisation = do_create_organisation("system", name, list(services))
    return do_issue_token("system", organisation, list(scopes or services))[1]


def send(client: Client, token: str, *items: dict[str, object]):
    return client.post(
        "/api/v1/lists/feedback",
        {"items": list(items)},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def mine(client: Client, token: str) -> list[dict[str, object]]:
    response = client.get("/api/v1/lists/feedback", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    return response.json()["feedback"]


@pytest.fixture
def listed_hashes(db: None) -> None:
    source = do_create_source("system", "Partner Hotline")
    do_add_hashes(
        "system", source, [checked_hash("md5", MD5, category="B"), checked_hash("sha1", SHA1)]
    )


def fp(kind: str, value: str, **more: object) -> dict[str, object]:
    return {"kind": kind, "value": value, "verdict": "false_positive", **more}


def test_a_false_positive_on_a_hash_is_recorded_and_audited(
    client: Client, listed_hashes: None
) -> None:
    token = member("Platform", "hash-list", "feedback")
    answer = send(client, token, fp("hash", MD5.upper(), note="a logo", distance=None))
    assert answer.status_code == 200
    (result,) = answer.json()["results"]
    assert result["new"] is True
    feedback = Feedback.objects.get(code=result["code"])
    assert (feedback.entry_type, feedback.entry_value) == ("md5", MD5)
    assert (feedback.source, feedback.note, feedback.organisation.name) == (
        "Partner Hotline",
        "a logo",
        "Platform",
    )
    event = Event.objects.get(action="feedback.received")
    assert event.object_code == feedback.code
    assert event.details["verdict"] == "false_positive"


def test_sending_again_updates_and_never_duplicates(client: Client, listed_hashes: None) -> None:
    token = member("Platform", "hash-list", "feedback")
    first = send(client, token, fp("hash", MD5, note="first")).json()["results"][0]
    again = send(client, token, fp("hash", MD5, note="second")).json()["results"][0]
    assert again["code"] == first["code"]
    assert again["new"] is False
    assert Feedback.objects.get().note == "second"
    assert Event.objects.filter(action="feedback.updated").count() == 1
    # Another verdict on the same entry is another piece of feedback.
    send(client, token, {"kind": "hash", "value": MD5, "verdict": "confirmed"})
    assert Feedback.objects.count() == 2


def test_an_unknown_or_unlicensed_entry_is_a_404_item(client: Client, listed_hashes: None) -> None:
    token = member("Platform", "hash-list", "feedback")
    answer = send(
        client, token, fp("hash", "0" * 32), fp("url", "nowhere.example/"), fp("hash", SHA1)
    )
    unknown, unlicensed, known = answer.json()["results"]
    assert (unknown["status"], unlicensed["status"]) == (404, 404)
    assert "no such entry" in unknown["error"]
    assert known["new"] is True
    # A member licensed for the URL list only cannot name hashes, listed or not.
    url_member = member("ISP", "url-list", "feedback")
    assert send(client, url_member, fp("hash", MD5)).json()["results"][0]["status"] == 404


def test_url_entries_are_named_by_hash_expression_or_address(client: Client, analyst) -> None:
    actioned(analyst, "http://listed.example/gallery/1.html")
    do_publish_url_list()
    token = member("ISP", "url-list", "feedback")
    digest = sha256_hex("listed.example/gallery/1.html")
    results = send(
        client,
        token,
        fp("url", digest),
        fp("url", "listed.example/gallery/1.html"),
        fp("url", "HTTP://Listed.Example/gallery/1.html#top"),
    ).json()["results"]
    assert {result["code"] for result in results} == {Feedback.objects.get().code}
    assert Feedback.objects.get().entry_label == "listed.example/gallery/1.html"


def test_a_keyed_member_names_a_url_entry_by_its_keyed_hash(client: Client, analyst) -> None:
    actioned(analyst, "http://keyed.example/a")
    do_publish_url_list()
    token = member("Keyed ISP", "url-list", "feedback")
    organisation = Organisation.objects.get(name="Keyed ISP")
    do_set_list_key("system", organisation, rotate=True)
    organisation.refresh_from_db()
    keyed = keyed_sha256(organisation.list_key, "keyed.example/a")
    assert send(client, token, fp("url", keyed)).json()["results"][0]["new"] is True
    # The plain hash is not what this member's list gave it.
    plain = sha256_hex("keyed.example/a")
    assert send(client, token, fp("url", plain)).json()["results"][0]["status"] == 404


def test_a_member_reads_only_its_own_feedback(client: Client, listed_hashes: None) -> None:
    first = member("First Platform", "hash-list", "feedback")
    second = member("Second Platform", "hash-list", "feedback")
    send(client, first, fp("hash", MD5, note="ours"))
    send(client, second, {"kind": "hash", "value": SHA1, "verdict": "confirmed"})
    (own,) = mine(client, first)
    assert (own["value"], own["note"], own["reviewed"]) == (MD5, "ours", False)
    assert [item["value"] for item in mine(client, second)] == [SHA1]


def test_a_token_without_the_feedback_scope_is_refused(client: Client, listed_hashes: None) -> None:
    # Licensed for feedback, but this token is scoped to the hash list only.
    token = member("Platform", "hash-list", "feedback", scopes=("hash-list",))
    assert send(client, token, fp("hash", MD5)).status_code == 403
    assert (
        client.get(
            "/api/v1/lists/feedback", headers={"Authorization": f"Bearer {token}"}
        ).status_code
        == 403
    )
    assert send(client, "tt_not_a_token", fp("hash", MD5)).status_code == 401
    assert not Feedback.objects.exists()


def test_a_long_note_or_a_wrong_verdict_is_refused(client: Client, listed_hashes: None) -> None:
    token = member("Platform", "hash-list", "feedback")
    assert send(client, token, fp("hash", MD5, note="x" * 1001)).status_code == 400
    assert (
        send(client, token, {"kind": "hash", "value": MD5, "verdict": "maybe"}).status_code == 400
    )
    assert send(client, token, fp("hash", MD5, distance=257)).status_code == 400
    assert not Feedback.objects.exists()
