"""Notices and referrals: rendered per language and recipient type, sent, fingerprinted.

Each notice keeps its recipient, time, Message-ID and the SHA-256 of its content (subject,
a blank line, body, UTF-8), so the hotline can later show exactly what it sent without
keeping a second copy. Referrals carry the case in the partner's vocabulary (its
classification scheme's terms) beside the grading and hosting data.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, make_msgid
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import translation

from turntide.audit.actions import record
from turntide.cases.models import Assessment
from turntide.cases.schemes import translate
from turntide.takedown.models import Notice, Takedown
from turntide.takedown.routing import Addressee

logger = logging.getLogger(__name__)

# How a rendered notice leaves the hotline: email by default; a partner network's API
# would be another function taking the same message.
Deliver = Callable[[EmailMessage], object]


def send_email(message: EmailMessage) -> object:
    return message.send()


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


def _templates(recipient_type: str, language: str) -> tuple[str, Any, Any]:
    """The subject and body templates in `language` (`de-at`, else `de`), else in English."""
    for candidate in dict.fromkeys([language, language.partition("-")[0], "en"]):
        base = f"takedown/notices/{candidate}/{recipient_type}"
        try:
            return candidate, get_template(f"{base}_subject.txt"), get_template(f"{base}.txt")
        except TemplateDoesNotExist:
            continue
    raise TemplateDoesNotExist(f"takedown/notices/en/{recipient_type}.txt")


def render(takedown: Takedown, addressee: Addressee, step: int) -> tuple[str, str, str]:
    """(language, subject, body) of this step's notice to this addressee."""
    language, subject_template, body_template = _templates(
        addressee.recipient_type, addressee.language
    )
    context = {
        "hotline": settings.OTP_TOTP_ISSUER,
        "case": takedown.case,
        "trace": takedown.trace,
        "takedown": takedown,
        "step": step,
        "referral": referral_for(takedown),
        "first_notice": takedown.notices.filter(status=Notice.Status.SENT).first(),
    }
    with translation.override(language):
        subject = " ".join(subject_template.render(context).split())
        body = body_template.render(context)
    return language, subject, body


def content_sha256(subject: str, body: str) -> str:
    return hashlib.sha256(f"{subject}\n\n{body}".encode()).hexdigest()


def _reason(error: Exception) -> str:
    """Why a send failed, on one line that fits `Notice.detail`."""
    words = " ".join(str(error).split())
    reason = f"{type(error).__name__}: {words}" if words else type(error).__name__
    return reason[: Notice._meta.get_field("detail").max_length]


def send_notice(
    takedown: Takedown,
    addressee: Addressee,
    step: int,
    now: datetime,
    deliver: Deliver = send_email,
) -> Notice:
    """Render, send and store one notice; an unknown address or a failed send is stored too."""
    notice = Notice(
        takedown=takedown,
        recipient_type=addressee.recipient_type,
        escalation_step=step,
        recipient=addressee.email,
        created_at=now,
    )
    if not addressee.email:
        notice.status = Notice.Status.NO_CONTACT
        notice.detail = "no address known for this recipient"
    else:
        notice.language, notice.subject, body = render(takedown, addressee, step)
        domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or None
        notice.message_id = make_msgid(domain=domain)
        notice.content_sha256 = content_sha256(notice.subject, body)
        message = EmailMessage(
            notice.subject, body, to=[addressee.email], headers={"Message-ID": notice.message_id}
        )
        try:
            deliver(message)
        except (OSError, ValueError) as error:  # smtplib's errors; an address mail cannot take
            logger.warning("notice for case %s was not sent", takedown.case.code)
            notice.status = Notice.Status.FAILED
            notice.detail = _reason(error)
        else:
            notice.status, notice.sent_at = Notice.Status.SENT, now
    notice.save()
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
            "sha256": notice.content_sha256,
        },
    )
    return notice
