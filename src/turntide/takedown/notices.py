"""Notices and referrals: queued in the deciding transaction, grouped per address, rendered.

A step of a takedown queues one notice per addressee, in the transaction that took the step;
nothing leaves from inside it. Once a notice's hold time has passed, every notice waiting for
the same address (and type, language and step) is rendered into one mail in the outbox
(`turntide.takedown.outbox` sends it). Each notice keeps its mail's Message-ID and the
SHA-256 of its content (subject, a blank line, body, UTF-8), so the hotline can later show
exactly what it sent without keeping a second copy. Referrals carry the case in the
partner's vocabulary (its classification scheme's terms) beside the grading and hosting data.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import make_msgid
from django.db import transaction
from django.db.models import Q
from django.template import TemplateDoesNotExist, engines
from django.template.loader import get_template
from django.utils import timezone, translation

from turntide.audit.actions import record
from turntide.cases.models import Assessment, URLCase
from turntide.cases.schemes import translate
from turntide.takedown.models import (
    HostingTrace,
    Mail,
    Notice,
    NoticeTemplate,
    Provider,
    QuietDay,
    Takedown,
)
from turntide.takedown.routing import STEP_NAMES, Addressee, provider_of
from turntide.takedown.xarf import attachment


@dataclass(frozen=True)
class Referral:
    """A case as a partner hotline receives it, in the terms of the partner's scheme."""

    url: str
    case_code: str
    scheme: str
    classification: dict[str, str]
    category: str
    age_group: str
    sex: str
    site_type: str


def referral_for(takedown: Takedown) -> Referral | None:
    standing = takedown.case.assessments.filter(decisive=True).first()
    if standing is None or takedown.partner is None:
        return None
    return Referral(
        url=takedown.case.canonical_url,
        case_code=takedown.case.code,
        scheme=takedown.partner.scheme,
        classification=translate(standing, takedown.partner.scheme),
        category=standing.category,
        age_group=standing.age_group,
        sex=standing.sex,
        site_type=str(Assessment.SiteType(standing.site_type).label) if standing.site_type else "",
    )


@dataclass(frozen=True)
class Item:
    """One URL of a grouped notice, with what the templates say about it."""

    case: URLCase
    trace: HostingTrace
    takedown: Takedown
    referral: Referral | None
    first_notice: Notice | None


def item_for(takedown: Takedown) -> Item:
    return Item(
        case=takedown.case,
        trace=takedown.trace,
        takedown=takedown,
        referral=referral_for(takedown),
        first_notice=takedown.notices.filter(status=Notice.Status.SENT).first(),
    )


def _stored(recipient_type: str, language: str, provider: Provider | None) -> Any:
    """The staff's text for this contact, else for all contacts, in `language`; or None."""
    found = NoticeTemplate.objects.filter(recipient_type=recipient_type, language=language)
    own = found.filter(provider=provider).first() if provider is not None else None
    return own or found.filter(provider=None).first()


def _templates(
    recipient_type: str, language: str, provider: Provider | None
) -> tuple[str, Any, Any]:
    """The subject and body templates in `language` (`de-at`, else `de`), else in English:
    the staff's own (for this contact, else general) before the built-in ones."""
    engine = engines["django"]
    for candidate in dict.fromkeys([language, language.partition("-")[0], "en"]):
        stored = _stored(recipient_type, candidate, provider)
        if stored is not None:
            body = "{% autoescape off %}" + stored.body + "{% endautoescape %}"
            return candidate, engine.from_string(stored.subject), engine.from_string(body)
        base = f"takedown/notices/{candidate}/{recipient_type}"
        try:
            return candidate, get_template(f"{base}_subject.txt"), get_template(f"{base}.txt")
        except TemplateDoesNotExist:
            continue
    raise TemplateDoesNotExist(f"takedown/notices/en/{recipient_type}.txt")


def render(
    recipient_type: str, language: str, step: int, items: list[Item]
) -> tuple[str, str, str]:
    """(language, subject, body) of one step's notice about `items` to one addressee."""
    language, subject_template, body_template = _templates(
        recipient_type, language, provider_of(items[0].trace)
    )
    context = {"hotline": settings.OTP_TOTP_ISSUER, "step": step, "items": items}
    with translation.override(language):
        subject = " ".join(subject_template.render(context).split())
        body = body_template.render(context)
    return language, subject, body


def content_sha256(subject: str, body: str) -> str:
    return hashlib.sha256(f"{subject}\n\n{body}".encode()).hexdigest()


def hold_until(step: int, now: datetime) -> datetime:
    minutes = settings.TURNTIDE_NOTICE_HOLD_MINUTES.get(STEP_NAMES[step], 0)
    return now + timedelta(minutes=minutes)


def queue_notice(
    takedown: Takedown, addressee: Addressee, step: int, now: datetime, *, hold: bool = True
) -> Notice:
    """Store one notice for the outbox, to wait its step's hold time unless `hold` is False
    (staff sending it); one to nobody known is stored as such, and waits."""
    notice = Notice.objects.create(
        takedown=takedown,
        recipient_type=addressee.recipient_type,
        escalation_step=step,
        recipient=addressee.email,
        language=addressee.language,
        created_at=now,
        hold_until=hold_until(step, now) if hold else now,
        status=Notice.Status.QUEUED if addressee.email else Notice.Status.NO_CONTACT,
        detail="" if addressee.email else "no address known for this recipient",
    )
    record(
        "system",
        "takedown.notice",
        object_type="case",
        object_code=takedown.case.code,
        details={
            "notice": notice.code,
            "recipient_type": notice.recipient_type,
            "step": step,
            "status": notice.status,
        },
    )
    return notice


class _Taken(Exception):
    """Another worker grouped some of these notices first."""


def compose_due(now: datetime) -> int:
    """Group the notices whose hold has passed, with all others waiting for the same address,
    into one mail each, with an X-ARF report per URL; return how many mails were written.
    A case held for the police tells only the police until the hold ends; on a quiet day
    (one an administrator blocked) nothing is grouped, so nothing leaves."""
    if QuietDay.objects.filter(day=timezone.localdate(now)).exists():
        return 0
    held = Q(takedown__police_hold_until__gt=now) & ~Q(recipient_type=Notice.Recipient.POLICE)
    waiting = Notice.objects.filter(status=Notice.Status.QUEUED, mail=None).exclude(held)
    groups = (
        waiting.filter(hold_until__lte=now)
        .values_list("recipient", "recipient_type", "language", "escalation_step")
        .order_by()  # without the model's ordering, which DISTINCT would count in
        .distinct()
    )
    written = 0
    for recipient, recipient_type, language, step in list(groups):
        group = waiting.filter(
            recipient=recipient,
            recipient_type=recipient_type,
            language=language,
            escalation_step=step,
        ).select_related("takedown__case", "takedown__trace", "takedown__partner")
        notices = list(group.order_by("pk"))
        if not notices:  # another worker grouped them meanwhile
            continue
        try:
            _compose(notices, now)
        except _Taken:
            continue
        written += 1
    return written


@transaction.atomic
def _compose(notices: list[Notice], now: datetime) -> Mail:
    first = notices[0]
    items = [item_for(notice.takedown) for notice in notices]
    language, subject, body = render(
        first.recipient_type, first.language, first.escalation_step, items
    )
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or None
    mail = Mail.objects.create(
        recipient=first.recipient,
        recipient_type=first.recipient_type,
        language=language,
        subject=subject,
        body=body,
        attachments=[attachment(n.code, item) for n, item in zip(notices, items, strict=True)],
        message_id=make_msgid(domain=domain),
        content_sha256=content_sha256(subject, body),
        created_at=now,
    )
    taken = Notice.objects.filter(pk__in=[n.pk for n in notices], mail=None).update(
        mail=mail,
        language=language,
        subject=subject,
        message_id=mail.message_id,
        content_sha256=mail.content_sha256,
    )
    if taken != len(notices):
        raise _Taken
    return mail
