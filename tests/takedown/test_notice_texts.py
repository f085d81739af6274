"""What staff set about notices: quiet days when none leaves, and their own texts per language,
general and per contact."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from tests.takedown.conftest import T0, tracer_for
from turntide.audit.models import Event
from turntide.takedown.actions import do_start_takedown
from turntide.takedown.admin import NoticeTemplateForm
from turntide.takedown.models import NoticeTemplate, Provider, QuietDay
from turntide.takedown.outbox import dispatch

URL = "http://images.host.test/album/7.jpg"


@pytest.fixture
def host(db: None) -> Provider:
    return Provider.objects.create(
        asn=64500, name="Example Hosting", abuse_email="abuse@hosting.example"
    )


def test_on_a_quiet_day_no_notice_leaves_and_it_goes_the_next_day(
    actioned_case, host, mailoutbox
) -> None:
    QuietDay.objects.create(day=T0.date(), reason="Public holiday")
    do_start_takedown(actioned_case(URL), T0, tracer=tracer_for("GB"))
    assert dispatch(T0 + timedelta(hours=5)) == 0
    assert dispatch(T0 + timedelta(days=1)) == 1
    assert [message.to for message in mailoutbox] == [["abuse@hosting.example"]]


def test_the_staffs_general_text_replaces_the_built_in_one(actioned_case, host, mailoutbox) -> None:
    NoticeTemplate.objects.create(
        recipient_type="host",
        language="en",
        subject="Takedown request: {{ items|length }} address(es)",
        body="Please remove & confirm:{% for item in items %}\n{{ item.case.canonical_url }}"
        "{% endfor %}",
    )
    do_start_takedown(actioned_case(URL), T0, tracer=tracer_for("GB"))
    dispatch(T0)
    [message] = mailoutbox
    assert message.subject == "Takedown request: 1 address(es)"
    assert message.body == f"Please remove & confirm:\n{URL}"  # plain text: nothing escaped


def test_a_contacts_own_text_comes_before_the_general_one(actioned_case, host, mailoutbox) -> None:
    general = {"recipient_type": "host", "language": "en", "body": "general"}
    NoticeTemplate.objects.create(subject="General", **general)
    NoticeTemplate.objects.create(
        recipient_type="host", language="en", provider=host, subject="For Example", body="own"
    )
    other = Provider.objects.create(asn=64501, name="Other", abuse_email="abuse@other.example")
    do_start_takedown(actioned_case(URL), T0, tracer=tracer_for("GB"))
    do_start_takedown(
        actioned_case("http://other.host.test/1"), T0, tracer=tracer_for("GB", asn=other.asn)
    )
    dispatch(T0)
    assert {(m.to[0], m.subject) for m in mailoutbox} == {
        ("abuse@hosting.example", "For Example"),
        ("abuse@other.example", "General"),
    }


def test_a_text_that_does_not_compile_is_refused(db: None) -> None:
    form = NoticeTemplateForm(
        {"recipient_type": "host", "language": "en", "subject": "{% if %}", "body": "ok"}
    )
    assert not form.is_valid()
    assert "subject" in form.errors


def test_an_administrator_sets_quiet_days_and_texts_with_an_audit_trail(
    client: Client, administrator
) -> None:
    client.force_login(administrator)
    client.post("/admin/takedown/quietday/add/", {"day": "2026-12-25", "reason": "Christmas"})
    assert QuietDay.objects.filter(day="2026-12-25").exists()
    text = {"recipient_type": "host", "language": "fr", "subject": "Retrait", "body": "..."}
    client.post("/admin/takedown/noticetemplate/add/", text)
    assert NoticeTemplate.objects.filter(language="fr", provider=None).exists()
    actions = set(Event.objects.values_list("action", flat=True))
    assert {"takedown.quietday_added", "takedown.noticetemplate_added"} <= actions
