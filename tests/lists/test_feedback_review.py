"""The analysts' review list of members' feedback at /lists/feedback/: counts per entry, per
member and per source; withdrawal of a false positive; marking feedback reviewed."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.api.test_feedback_api import MD5, SHA1, fp, member, send
from tests.members.test_url_list import actioned
from turntide.audit.models import Event
from turntide.hashes.actions import checked_hash, do_add_hashes, do_create_source
from turntide.hashes.lists import hash_list_delta
from turntide.lists.models import Feedback
from turntide.members.dedicated import do_mark_dedicated
from turntide.members.lists import do_publish_url_list, sha256_hex, url_list_delta

PAGE = "/lists/feedback/"


@pytest.fixture
def noisy_source(db: None) -> None:
    source = do_create_source("system", "Noisy Partner")
    do_add_hashes("system", source, [checked_hash("md5", MD5), checked_hash("sha1", SHA1)])


def cells(html: str, text: str) -> list[str]:
    """The cells of the first table row that contains `text`."""
    row = next(row for row in re.findall(r"<tr>(.*?)</tr>", html, re.S) if text in row)
    return [
        re.sub(r"<[^>]+>|\s+", " ", cell).strip()
        for cell in re.findall(r"<td>(.*?)</td>", row, re.S)
    ]


def test_false_positives_reach_the_review_list_counted_per_member(
    client: Client, analyst, noisy_source: None
) -> None:
    first = member("First Platform", "hash-list", "feedback")
    second = member("Second Platform", "hash-list", "feedback")
    send(client, first, fp("hash", MD5, note="a logo"))
    send(client, first, fp("hash", MD5, note="a logo, again"))  # an update, not a second count
    send(client, second, fp("hash", MD5))
    send(client, second, {"kind": "hash", "value": SHA1, "verdict": "confirmed"})
    client.force_login(analyst)
    page = client.get(PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    # Entry: md5 value, source; 2 false positives, 0 confirmations, from 2 members.
    assert cells(html, MD5)[1:5] == ["Noisy Partner", "2", "0", "2"]
    assert cells(html, SHA1)[2:5] == ["0", "1", "1"]
    # Per member: each member's own counts (false positives, confirmations, entries).
    assert cells(html, "First Platform")[1:4] == ["1", "0", "1"]
    assert cells(html, "Second Platform")[1:4] == ["1", "1", "2"]
    by_source = html.split("Per hash source")[1]
    assert cells(by_source, "Noisy Partner")[1:4] == ["2", "1", "2"]


def test_the_list_sorts_by_count(client: Client, analyst, noisy_source: None) -> None:
    send(client, member("A", "hash-list", "feedback"), fp("hash", MD5))
    send(client, member("B", "hash-list", "feedback"), fp("hash", MD5))
    send(client, member("C", "hash-list", "feedback"), fp("hash", SHA1))  # newest
    client.force_login(analyst)
    newest = client.get(PAGE).content.decode()
    assert newest.index(SHA1) < newest.index(MD5)
    by_count = client.get(PAGE, {"order": "false_positives"}).content.decode()
    assert by_count.index(MD5) < by_count.index(SHA1)
    assert 'aria-sort="descending"><a href="?order=false_positives"' in by_count


def test_withdrawing_a_hash_from_the_review_list_reaches_the_next_delta(
    client: Client, administrator, noisy_source: None
) -> None:
    send(client, member("Platform", "hash-list", "feedback"), fp("hash", MD5))
    before = hash_list_delta(0).version
    client.force_login(administrator)
    assert 'action="/lists/feedback/withdraw/"' in client.get(PAGE).content.decode()
    answer = client.post(f"{PAGE}withdraw/", {"entry_type": "md5", "entry_value": MD5}, follow=True)
    assert "leaves members" in answer.content.decode()
    delta = hash_list_delta(before)
    assert delta.version == before + 1
    assert delta.removed == [{"type": "md5", "value": MD5}]
    feedback = Feedback.objects.get()
    assert (feedback.review, feedback.reviewed_by) == ("withdrawn", administrator)
    assert Event.objects.filter(action="hashes.withdrawn").exists()
    assert Event.objects.get(action="feedback.reviewed").details["review"] == "withdrawn"
    assert MD5 not in client.get(PAGE).content.decode().split("Per member")[0]


def test_withdrawing_a_whole_site_reaches_the_next_url_list_delta(
    client: Client, analyst, senior_analyst
) -> None:
    case = actioned(analyst, "http://www.harmless.example/a")
    do_mark_dedicated(senior_analyst, case, "harmless.example", "dedicated")
    before = do_publish_url_list()
    send(client, member("ISP", "url-list", "feedback"), fp("url", "http://harmless.example/x"))
    digest = sha256_hex("harmless.example/")
    assert Feedback.objects.get().entry_value == digest  # the site, not the case's own URL
    client.force_login(senior_analyst)
    assert 'action="/lists/feedback/withdraw/"' in client.get(PAGE).content.decode()
    client.post(f"{PAGE}withdraw/", {"entry_type": "domain", "entry_value": digest})
    after = do_publish_url_list()  # what the worker does once the withdrawal commits
    assert [entry["sha256"] for entry in url_list_delta(before).removed] == [digest]
    assert after == before + 1


def test_marking_feedback_reviewed_keeps_the_entry_listed(
    client: Client, analyst, noisy_source: None
) -> None:
    token = member("Platform", "hash-list", "feedback")
    send(client, token, fp("hash", MD5))
    client.force_login(analyst)
    client.post(f"{PAGE}reviewed/", {"entry_type": "md5", "entry_value": MD5})
    assert Feedback.objects.get().review == "kept"
    assert MD5 not in client.get(PAGE).content.decode().split("Per member")[0]
    assert hash_list_delta(0).added[0]["value"] == MD5
    # The member's new word on it awaits review again.
    send(client, token, fp("hash", MD5, note="still harmless"))
    assert MD5 in client.get(PAGE).content.decode().split("Per member")[0]


def test_only_those_who_may_withdraw_an_entry_withdraw_it(
    client: Client, analyst, noisy_source: None
) -> None:
    send(client, member("Platform", "hash-list", "feedback"), fp("hash", MD5))
    client.force_login(analyst)  # reads and reviews, but hashes are withdrawn by administrators
    assert 'action="/lists/feedback/withdraw/"' not in client.get(PAGE).content.decode()
    refused = client.post(f"{PAGE}withdraw/", {"entry_type": "md5", "entry_value": MD5})
    assert refused.status_code == 403
    assert hash_list_delta(0).added[0]["value"] == MD5


@pytest.mark.parametrize("persona", ["outsider", "researcher"])
def test_the_review_list_is_closed_to_other_roles(
    client: Client, persona: str, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get(PAGE).status_code == 403
    assert (
        client.post(f"{PAGE}reviewed/", {"entry_type": "md5", "entry_value": MD5}).status_code
        == 403
    )


def test_a_manager_reads_but_does_not_review(client: Client, manager, noisy_source: None) -> None:
    send(client, member("Platform", "hash-list", "feedback"), fp("hash", MD5))
    client.force_login(manager)
    assert MD5 in client.get(PAGE).content.decode()
    client.post(f"{PAGE}reviewed/", {"entry_type": "md5", "entry_value": MD5})
    assert Feedback.objects.get().reviewed_at is None
