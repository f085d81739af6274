"""The abuse contacts page: listed, searchable, editable; an address found automatically
waits for an analyst's confirmation; notices and time to removal per contact."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from tests.takedown.conftest import T0, start_and_send, tracer_for
from turntide.audit.models import Event
from turntide.cases.removal import confirm_removal
from turntide.takedown.models import Provider


@pytest.fixture
def contacts(actioned_case, mailoutbox):
    known = Provider.objects.create(
        asn=64500, name="Example Hosting", abuse_email="abuse@hosting.example"
    )
    case = actioned_case("http://images.host.test/1")
    start_and_send(case, T0, tracer=tracer_for("GB"))
    confirm_removal(case, T0 + timedelta(hours=6))
    found = Provider.objects.create(
        asn=64501, name="Found Hosting", suggested_email="abuse@found.example"
    )
    return known, found


def test_contacts_are_listed_with_notices_and_time_to_removal(
    client: Client, analyst, contacts
) -> None:
    client.force_login(analyst)
    html = client.get("/takedown/contacts/").content.decode()
    assert html.index("AS64501") < html.index("AS64500")  # awaiting confirmation first
    assert "abuse@found.example (found automatically, to confirm)" in html
    row = html[html.index('id="as64500"') :]
    row = row[: row.index("</tr>")]
    assert "<td>1</td><td>1</td><td>6.0</td>" in row  # one notice, one removed, 6 hours


def test_contacts_are_searchable(client: Client, analyst, contacts) -> None:
    client.force_login(analyst)
    html = client.get("/takedown/contacts/?q=AS64501").content.decode()
    assert "Found Hosting" in html
    assert "Example Hosting" not in html
    assert "Example Hosting" in client.get("/takedown/contacts/?q=hosting.example").content.decode()


def test_an_analyst_confirms_a_found_address_and_it_is_audited(
    client: Client, analyst, contacts
) -> None:
    client.force_login(analyst)
    client.post("/takedown/contacts/64501/", {"email": "abuse@found.example", "country": "de"})
    found = Provider.objects.get(asn=64501)
    assert (found.abuse_email, found.suggested_email, found.country) == (
        "abuse@found.example",
        "",
        "DE",
    )
    event = Event.objects.get(action="takedown.provider_contact_set", object_code="64501")
    assert (event.actor, event.details["confirmed_suggestion"]) == ("ada", True)


def test_a_bad_address_is_refused(client: Client, analyst, contacts) -> None:
    client.force_login(analyst)
    response = client.post("/takedown/contacts/64500/", {"email": "nope"})
    assert "Nothing saved" in response.content.decode()
    assert Provider.objects.get(asn=64500).abuse_email == "abuse@hosting.example"
    assert client.get("/takedown/contacts/99999/").status_code == 404


@pytest.mark.parametrize("persona", ["researcher", "outsider", "administrator"])
def test_contacts_are_for_the_removal_team(client: Client, persona, request, contacts) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/takedown/contacts/").status_code == 403
    assert client.post("/takedown/contacts/64500/", {"email": "x@y.example"}).status_code == 403
