"""Replies read for you: the worker reads the abuse mailbox (a real IMAP server on loopback),
attaches replies and bounces to their notice by Message-ID, and a bounce marks the contact."""

from __future__ import annotations

import imaplib
import logging
from datetime import timedelta

import pytest

from tests.takedown.conftest import T0, start_and_send, tracer_for
from turntide.audit.models import Event
from turntide.takedown.mailbox import MailboxError, read_mailbox
from turntide.takedown.models import Mail, MailboxCursor, NoticeResponse, Provider
from turntide.takedown.tasks import read_replies
from turntide.takedown.workbench import Stage, open_takedowns, stage_of

URL = "http://images.host.test/1"


def reply_to(message_id: str, body: str = "We removed it.") -> bytes:
    return (
        "From: abuse@hosting.example\r\nTo: abuse@hotline.example\r\n"
        "Subject: Re: Child sexual abuse material on your network\r\n"
        "Date: Mon, 02 Mar 2026 15:00:00 +0000\r\n"
        f"Message-ID: <reply-1@hosting.example>\r\nIn-Reply-To: {message_id}\r\n"
        f"References: {message_id}\r\n\r\n{body}\r\n"
    ).encode()


def bounce_of(message_id: str) -> bytes:
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mx.hosting.example>\r\n"
        "To: abuse@hotline.example\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        "Message-ID: <bounce-1@mx.hosting.example>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n'
        "--b\r\nContent-Type: text/plain\r\n\r\nThe mailbox does not exist.\r\n"
        "--b\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.hosting.example\r\n\r\n"
        "Final-Recipient: rfc822; abuse@hosting.example\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        "\r\n--b\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"Message-ID: {message_id}\r\nSubject: Child sexual abuse material\r\n\r\n--b--\r\n"
    ).encode()


def put(client: imaplib.IMAP4, raw: bytes) -> None:
    status, _ = client.append("INBOX", None, None, raw)
    assert status == "OK"


@pytest.fixture
def sent_notice(actioned_case, mailoutbox) -> Mail:
    Provider.objects.create(asn=64500, name="Example Hosting", abuse_email="abuse@hosting.example")
    start_and_send(actioned_case(URL), T0, tracer=tracer_for("GB"))
    return Mail.objects.get()


def only_stage(now) -> str:
    [takedown] = open_takedowns()
    return stage_of(takedown, now)


def test_a_reply_is_read_and_attached_to_its_notice_once(imap_mailbox, sent_notice) -> None:
    put(imap_mailbox, b"From: someone@else.example\r\nSubject: Hello\r\n\r\nUnrelated.\r\n")
    put(imap_mailbox, reply_to(sent_notice.message_id))
    assert read_mailbox(T0 + timedelta(hours=6)) == 1
    [response] = NoticeResponse.objects.all()
    assert response.kind == NoticeResponse.Kind.REPLY
    assert response.recorded_by is None
    assert "We removed it." in response.note
    assert response.received_at == T0.replace(hour=15)
    assert only_stage(T0 + timedelta(hours=6)) == Stage.REPLY  # the team checks, then confirms
    assert read_mailbox(T0 + timedelta(hours=7)) == 0  # read on from where it stopped
    MailboxCursor.objects.update(last_uid=0)  # as if the cursor were lost
    read_mailbox(T0 + timedelta(hours=8))
    assert NoticeResponse.objects.count() == 1  # the same message is recorded once
    event = Event.objects.get(action="takedown.notice_reply")
    assert (event.actor, event.details["read_from_mailbox"]) == ("system", True)


def test_a_bounce_marks_the_contact_and_asks_for_a_corrected_one(imap_mailbox, sent_notice) -> None:
    put(imap_mailbox, bounce_of(sent_notice.message_id))
    assert read_mailbox(T0 + timedelta(hours=1)) == 1
    assert NoticeResponse.objects.get().kind == NoticeResponse.Kind.BOUNCE
    assert Provider.objects.get(asn=64500).bounced_at is not None
    assert only_stage(T0 + timedelta(hours=1)) == Stage.NEEDS_CONTACT


def test_the_mailbox_is_only_read_never_changed(imap_mailbox, sent_notice) -> None:
    put(imap_mailbox, reply_to(sent_notice.message_id))
    read_mailbox(T0)
    imap_mailbox.select("INBOX")
    _status, unseen = imap_mailbox.search(None, "UNSEEN")
    assert unseen[0].split() == [b"1"]  # people still see it as new


def test_a_mailbox_that_refuses_the_login_is_logged_not_fatal(
    imap_mailbox, settings, caplog, db: None
) -> None:
    settings.TURNTIDE_IMAP_PASSWORD = "wrong"
    with pytest.raises(MailboxError):
        read_mailbox(T0)
    with caplog.at_level(logging.WARNING, logger="turntide.takedown.tasks"):
        assert read_replies.call() == 0
    assert "could not read the abuse mailbox" in caplog.text


def test_without_a_mailbox_nothing_is_read(db: None, settings) -> None:
    settings.TURNTIDE_IMAP_HOST = ""
    assert read_mailbox(T0) == 0
    assert not MailboxCursor.objects.exists()
