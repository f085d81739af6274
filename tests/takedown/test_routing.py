"""Starting a takedown: trace kept, route by country, notices received over real SMTP."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from tests.takedown.conftest import T0, start_and_send, tracer_for
from tests.takedown.loopback import json_service
from turntide.audit.models import Event
from turntide.cases.models import URLCase
from turntide.takedown.models import HostingTrace, Notice, PartnerHotline, Provider, Takedown
from turntide.takedown.traces import rdap_lookup

URL = "http://images.host.test/album/7.jpg"


@pytest.fixture
def directory(db: None) -> None:
    Provider.objects.create(
        asn=64500,
        name="Example Hosting",
        abuse_email="abuse@hosting.example",
        upstream_email="abuse@transit.example",
    )
    PartnerHotline.objects.create(
        country="NL", name="Partner Hotline NL", email="referrals@partner-nl.example"
    )


def body(message: Any) -> str:
    """The text as rendered (beside the X-ARF attachments): SMTP carries lines ended by CRLF."""
    text = message.get_body(preferencelist=("plain",))
    return str(text.get_content()).replace("\r\n", "\n")


def test_a_case_hosted_at_home_is_noticed_to_the_host(
    actioned_case, directory, smtp_inbox, settings
) -> None:
    settings.TURNTIDE_HOME_COUNTRY = "GB"
    case = actioned_case(URL)
    takedown = start_and_send(case, T0, tracer=tracer_for("GB"))
    assert takedown is not None
    assert takedown.route == Takedown.Route.HOME
    [message] = smtp_inbox
    assert message["To"] == "abuse@hosting.example"
    assert URL in body(message)
    assert case.code in message["Subject"]
    notice = Notice.objects.get(takedown=takedown)
    assert notice.status == Notice.Status.SENT
    assert notice.sent_at == T0
    assert notice.message_id == message["Message-ID"]
    expected = hashlib.sha256(f"{notice.subject}\n\n{body(message)}".encode()).hexdigest()
    assert notice.content_sha256 == expected
    case.refresh_from_db()
    assert case.actioned_at == T0
    trace = HostingTrace.objects.get(case=case)
    assert (trace.host, trace.asn, trace.country, trace.traced_at) == (
        "images.host.test",
        64500,
        "GB",
        T0,
    )
    assert takedown.rechecks.get().due_at == T0.replace(hour=13)  # four hours later
    actions = set(Event.objects.filter(object_code=case.code).values_list("action", flat=True))
    assert {"takedown.traced", "takedown.routed", "takedown.notice"} <= actions


@pytest.mark.parametrize(
    ("policy", "category", "police_told"),
    [
        ("always", "C", True),
        ("category-a", "A", True),
        ("category-a", "B", False),
        ("never", "A", False),
    ],
)
def test_the_police_hear_of_home_hosted_content_per_policy(
    actioned_case, directory, smtp_inbox, settings, policy, category, police_told
) -> None:
    settings.TURNTIDE_POLICE_NOTIFY = policy
    settings.TURNTIDE_POLICE_EMAIL = "cse-unit@police.example"
    start_and_send(actioned_case(URL, category=category), T0, tracer=tracer_for("GB"))
    recipients = sorted(message["To"] for message in smtp_inbox)
    expected = (
        ["abuse@hosting.example", "cse-unit@police.example"]
        if police_told
        else ["abuse@hosting.example"]
    )
    assert recipients == expected


def test_content_hosted_where_a_partner_works_is_referred_in_its_vocabulary(
    actioned_case, directory, smtp_inbox
) -> None:
    case = actioned_case(URL, category="A", age_group="7-10", sex="girls")
    takedown = start_and_send(case, T0, tracer=tracer_for("NL"))
    assert takedown is not None
    assert takedown.route == Takedown.Route.PARTNER
    [message] = smtp_inbox
    assert message["To"] == "referrals@partner-nl.example"
    text = body(message)
    assert "legal_status=baseline" in text
    assert "age=pre_pubescent" in text
    assert "sex: girls" in text
    assert "site type: Image host" in text
    assert "AS64500" in text
    assert "192.0.2.10" in text
    assert URL in text
    assert Notice.objects.get().recipient_type == Notice.Recipient.PARTNER


def test_without_a_partner_the_host_is_noticed_in_english(
    actioned_case, directory, smtp_inbox, settings
) -> None:
    settings.LANGUAGE_CODE = "de"
    takedown = start_and_send(actioned_case(URL), T0, tracer=tracer_for("US"))
    assert takedown is not None
    assert takedown.route == Takedown.Route.ABROAD
    [message] = smtp_inbox
    assert message["Subject"].strip().startswith("Child sexual abuse material on your network")
    assert Notice.objects.get().language == "en"


def test_at_home_the_notice_speaks_the_hotlines_language(
    actioned_case, directory, smtp_inbox, settings
) -> None:
    settings.LANGUAGE_CODE = "de-at"
    settings.TURNTIDE_HOME_COUNTRY = "AT"
    start_and_send(actioned_case(URL), T0, tracer=tracer_for("AT"))
    [message] = smtp_inbox
    assert "Darstellungen sexuellen Kindesmissbrauchs" in message["Subject"]
    assert Notice.objects.get().language == "de"


def test_content_behind_a_cdn_is_noticed_to_the_cdn_asking_for_the_origin(
    actioned_case, directory, smtp_inbox
) -> None:
    Provider.objects.create(asn=13335, name="Cloudflare", abuse_email="abuse@cdn.example")
    tracer = tracer_for("US", asn=13335, cdn="Cloudflare")
    takedown = start_and_send(actioned_case(URL), T0, tracer=tracer)
    assert takedown is not None
    assert takedown.route == Takedown.Route.CDN
    [message] = smtp_inbox
    assert message["To"] == "abuse@cdn.example"
    assert "origin server" in body(message)


def test_without_any_contact_the_notice_is_kept_undelivered_and_the_clock_waits(
    actioned_case, smtp_inbox
) -> None:
    case = actioned_case(URL)
    takedown = start_and_send(case, T0, tracer=tracer_for("US", asn=64999))
    assert takedown is not None
    assert smtp_inbox == []
    assert Notice.objects.get().status == Notice.Status.NO_CONTACT
    case.refresh_from_db()
    assert case.actioned_at is None
    assert takedown.rechecks.count() == 1  # availability is still watched


def test_an_address_rdap_finds_is_used_only_once_an_analyst_confirms_it(
    actioned_case, smtp_inbox, analyst
) -> None:
    from turntide.takedown.outbox import dispatch
    from turntide.takedown.team_actions import do_send_notice, do_set_contact

    def lookup(trace: HostingTrace) -> str:
        return f"abuse-{trace.asn}@rir.example"

    takedown = start_and_send(actioned_case(URL), T0, tracer=tracer_for("US"), lookup=lookup)
    assert smtp_inbox == []
    assert Notice.objects.get().status == Notice.Status.NO_CONTACT
    provider = Provider.objects.get(asn=64500)
    assert (provider.abuse_email, provider.suggested_email) == ("", "abuse-64500@rir.example")
    do_set_contact(analyst, takedown, "abuse-64500@rir.example", "US")
    do_send_notice(analyst, takedown, T0)
    dispatch(T0)
    assert [message["To"] for message in smtp_inbox] == ["abuse-64500@rir.example"]
    provider.refresh_from_db()
    assert (provider.abuse_email, provider.suggested_email) == ("abuse-64500@rir.example", "")


def test_the_configured_rdap_service_names_the_abuse_contact(
    actioned_case, smtp_inbox, settings
) -> None:
    abuse = {
        "roles": ["abuse"],
        "vcardArray": ["vcard", [["email", {}, "text", "abuse@rdap-hosting.example"]]],
    }
    network = {"objectClassName": "ip network", "entities": [abuse]}
    with json_service({"/ip/192.0.2.10": (200, network)}) as (base, asked):
        settings.TURNTIDE_RDAP_URL = base
        start_and_send(actioned_case(URL), T0, tracer=tracer_for("US"), lookup=rdap_lookup())
    assert asked == ["/ip/192.0.2.10"]
    assert smtp_inbox == []  # found, kept for an analyst to confirm, not used
    assert Provider.objects.get(asn=64500).suggested_email == "abuse@rdap-hosting.example"


def test_an_rdap_address_that_would_add_a_header_is_no_contact_and_the_takedown_starts(
    actioned_case, smtp_inbox, settings
) -> None:
    forged = "abuse@example.test\r\nBcc: x@example.test"
    abuse = {"roles": ["abuse"], "vcardArray": ["vcard", [["email", {}, "text", forged]]]}
    with json_service({"/ip/192.0.2.10": (200, {"entities": [abuse]})}) as (base, asked):
        settings.TURNTIDE_RDAP_URL = base
        case = actioned_case(URL)
        takedown = start_and_send(case, T0, tracer=tracer_for("US"), lookup=rdap_lookup())
    assert asked == ["/ip/192.0.2.10"]
    assert takedown is not None
    assert HostingTrace.objects.filter(case=case).count() == 1
    notice = Notice.objects.get()
    assert (notice.status, notice.recipient) == (Notice.Status.NO_CONTACT, "")
    assert smtp_inbox == []
    assert takedown.rechecks.count() == 1


def test_a_send_that_rejects_the_address_is_stored_as_failed_with_the_reason(
    actioned_case, mailoutbox
) -> None:
    Provider.objects.create(
        asn=64500, name="Example Hosting", abuse_email="abuse@example.test\nBcc: x@example.test"
    )
    case = actioned_case(URL)
    takedown = start_and_send(case, T0, tracer=tracer_for("GB"))
    assert takedown is not None
    notice = Notice.objects.get()
    assert notice.status == Notice.Status.FAILED
    assert notice.detail.startswith("ValueError: ")
    assert "\n" not in notice.detail
    assert mailoutbox == []
    assert URLCase.objects.get(pk=case.pk).actioned_at is None
    assert takedown.rechecks.count() == 1


def test_a_takedown_starts_once(actioned_case, directory, smtp_inbox) -> None:
    case = actioned_case(URL)
    assert start_and_send(case, T0, tracer=tracer_for("GB")) is not None
    assert start_and_send(case, T0, tracer=tracer_for("GB")) is None
    assert len(smtp_inbox) == 1
    assert HostingTrace.objects.count() == 1


def test_a_failed_send_is_stored_and_does_not_start_the_clock(
    actioned_case, directory, settings
) -> None:
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},  # discard: refused
        }
    }
    case = actioned_case(URL)
    start_and_send(case, T0, tracer=tracer_for("GB"))
    notice = Notice.objects.get()
    assert notice.status == Notice.Status.FAILED
    assert notice.sent_at is None
    assert URLCase.objects.get(pk=case.pk).actioned_at is None


def test_an_actioned_case_starts_its_takedown_in_the_background(
    analyst, reported_case, django_capture_on_commit_callbacks
) -> None:
    from django_tasks_db.models import DBTaskResult

    from turntide.cases.actions import do_assess
    from turntide.cases.models import Assessment

    with django_capture_on_commit_callbacks(execute=True):
        do_assess(analyst, reported_case, Assessment(outcome="criminal", category="B"))
    queued = DBTaskResult.objects.filter(task_path="turntide.takedown.tasks.start_takedown")
    assert [row.args_kwargs["args"] for row in queued] == [[reported_case.pk]]


def test_content_that_reappears_and_is_actioned_again_gets_a_new_takedown(
    actioned_case, directory, smtp_inbox
) -> None:
    from datetime import timedelta

    from turntide.cases.removal import confirm_removal

    case = actioned_case(URL)
    first = start_and_send(case, T0, tracer=tracer_for("GB"))
    assert first is not None
    confirm_removal(case, T0 + timedelta(hours=5))
    first.closed_at = T0 + timedelta(hours=5)
    first.save()
    later = T0 + timedelta(days=60)
    URLCase.objects.filter(pk=case.pk).update(status=URLCase.Status.ACTIONED)  # judged again
    case.refresh_from_db()
    second = start_and_send(case, later, tracer=tracer_for("GB"))
    assert second is not None
    assert second.pk != first.pk
    case.refresh_from_db()
    assert (case.actioned_at, case.removed_at) == (later, None)
    assert len(smtp_inbox) == 2
