"""Replies and bounces read from the hotline's abuse mailbox (IMAP) by the worker.

The folder is opened read-only: nothing is flagged, moved or deleted, so people reading the
same mailbox see it as before. How far the worker has read is a row (`MailboxCursor`: the last
UID under the folder's UIDVALIDITY), so a restarted worker goes on where it stopped, and a
message read twice is recorded once (its own Message-ID is kept with the response).

A message is attached to the notices of the mail it answers: by `In-Reply-To` and
`References`, or, for a bounce (a delivery status report, or one from the mailer daemon), by
the Message-ID of the returned message. A bounce marks the contact it went to (`bounced_at`),
and the workbench asks for a corrected contact. Only text is read: subject and the first
lines of the plain-text part; attachments are never opened.
"""

from __future__ import annotations

import imaplib
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.parser import HeaderParser
from email.utils import parsedate_to_datetime

from django.conf import settings
from django.db import IntegrityError, transaction

from turntide.audit.actions import record
from turntide.takedown.models import Mail, MailboxCursor, NoticeResponse, Provider

logger = logging.getLogger(__name__)

BATCH = 200
MSG_ID = re.compile(r"<[^<>\s]+>")
RETURNED = ("message/rfc822", "message/global", "text/rfc822-headers", "message/rfc822-headers")
NOTE_LENGTH = 1000


class MailboxError(Exception):
    """The mailbox could not be read (connection, login, folder)."""


@dataclass(frozen=True)
class MailboxConfig:
    host: str
    port: int
    user: str
    password: str
    tls: bool
    folder: str

    @classmethod
    def from_settings(cls) -> MailboxConfig | None:
        if not settings.TURNTIDE_IMAP_HOST:
            return None
        return cls(
            settings.TURNTIDE_IMAP_HOST,
            settings.TURNTIDE_IMAP_PORT,
            settings.TURNTIDE_IMAP_USER,
            settings.TURNTIDE_IMAP_PASSWORD,
            settings.TURNTIDE_IMAP_TLS,
            settings.TURNTIDE_IMAP_FOLDER,
        )

    @property
    def name(self) -> str:
        return f"{self.host}:{self.port}/{self.folder}"


def _fetch(config: MailboxConfig, cursor: MailboxCursor) -> tuple[int, list[tuple[int, bytes]]]:
    """(UIDVALIDITY, [(uid, raw message)]) of the messages after the cursor, oldest first."""
    client_class = imaplib.IMAP4_SSL if config.tls else imaplib.IMAP4
    try:
        with client_class(config.host, config.port, timeout=30) as client:
            client.login(config.user, config.password)
            status, _count = client.select(config.folder, readonly=True)
            if status != "OK":
                raise MailboxError(f"cannot open folder {config.folder}")
            _name, values = client.response("UIDVALIDITY")
            validity = int(values[0]) if values and values[0] else 0
            after = cursor.last_uid if validity == cursor.uidvalidity else 0
            _status, found = client.uid("SEARCH", f"UID {after + 1}:*")
            uids = sorted(int(uid) for uid in (found[0] or b"").split() if int(uid) > after)
            messages = []
            for uid in uids[:BATCH]:
                _status, data = client.uid("FETCH", str(uid), "(BODY.PEEK[])")
                raw = next((item[1] for item in data if isinstance(item, tuple)), None)
                if raw is not None:
                    messages.append((uid, raw))
            return validity, messages
    except (OSError, imaplib.IMAP4.error) as error:
        raise MailboxError(f"{type(error).__name__}: {error}") from None


def is_bounce(message: EmailMessage) -> bool:
    report = message.get_content_type() == "multipart/report"
    if report and message.get_param("report-type") == "delivery-status":
        return True
    sender = str(message.get("From", "")).lower()
    return any(name in sender for name in ("mailer-daemon@", "postmaster@"))


def answered_ids(message: EmailMessage) -> list[str]:
    """The Message-IDs this message answers or returns, most specific first."""
    ids = MSG_ID.findall(f"{message.get('In-Reply-To', '')} {message.get('References', '')}")
    for part in message.walk():
        if part.get_content_type() not in RETURNED:
            continue
        payload = part.get_payload()
        if isinstance(payload, list) and payload and not isinstance(payload[0], str):
            returned = str(payload[0].get("Message-ID", ""))  # message/rfc822: the message
        else:
            returned = str(HeaderParser().parsestr(str(payload)).get("Message-ID", ""))
        ids = MSG_ID.findall(returned) + ids
    return list(dict.fromkeys(ids))


def _note(message: EmailMessage) -> str:
    subject = " ".join(str(message.get("Subject", "")).split())
    text = message.get_body(preferencelist=("plain",))
    words = str(text.get_content()).strip() if text is not None else ""
    return f"{subject}\n{words}"[:NOTE_LENGTH].strip()


def _received(message: EmailMessage, now: datetime) -> datetime:
    try:
        when = parsedate_to_datetime(str(message.get("Date", "")))
    except (TypeError, ValueError):
        return now
    return when if when.tzinfo is not None else now


@transaction.atomic
def record_message(message: EmailMessage, now: datetime) -> Mail | None:
    """Attach one message to the notices of the mail it answers; None when it answers none."""
    answered = answered_ids(message)
    mail = Mail.objects.filter(message_id__in=answered).first() if answered else None
    if mail is None:
        return None
    kind = NoticeResponse.Kind.BOUNCE if is_bounce(message) else NoticeResponse.Kind.REPLY
    own_id = (MSG_ID.findall(str(message.get("Message-ID", ""))) or [""])[0]
    received = _received(message, now)
    for notice in mail.notices.select_related("takedown__case", "takedown__trace"):
        try:
            with transaction.atomic():
                NoticeResponse.objects.create(
                    notice=notice,
                    kind=kind,
                    received_at=received,
                    note=_note(message),
                    message_id=own_id,
                )
        except IntegrityError:  # read before: recorded then
            continue
        record(
            "system",
            f"takedown.notice_{kind}",
            object_type="case",
            object_code=notice.takedown.case.code,
            details={"notice": notice.code, "mail": mail.code, "read_from_mailbox": True},
        )
        if kind == NoticeResponse.Kind.BOUNCE and notice.takedown.trace.asn is not None:
            Provider.objects.filter(
                asn=notice.takedown.trace.asn, abuse_email=mail.recipient
            ).update(bounced_at=received)
    return mail


def read_mailbox(now: datetime, config: MailboxConfig | None = None) -> int:
    """Read the new messages of the mailbox; return how many answered a notice."""
    config = config or MailboxConfig.from_settings()
    if config is None:
        return 0
    cursor, _created = MailboxCursor.objects.get_or_create(mailbox=config.name)
    validity, messages = _fetch(config, cursor)
    attached = 0
    for uid, raw in messages:
        message = message_from_bytes(raw, policy=policy.default)
        assert isinstance(message, EmailMessage)
        if record_message(message, now) is not None:
            attached += 1
        MailboxCursor.objects.filter(pk=cursor.pk).update(uidvalidity=validity, last_uid=uid)
    if not messages and validity != cursor.uidvalidity:
        MailboxCursor.objects.filter(pk=cursor.pk).update(uidvalidity=validity, last_uid=0)
    return attached
