"""Receiving a report from the public form, with the reporter's optional address kept apart."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language

from turntide.reports.actions import do_receive_report
from turntide.reports.models import FeedbackContact, HotlineGuidance, Report, ReportedURL
from turntide.reports.tasks import send_confirmation


@transaction.atomic
def do_receive_public_report(
    data: Mapping[str, Any], guidance: HotlineGuidance
) -> tuple[Report, list[ReportedURL]]:
    """Store the report and, if an address was given, keep it until feedback or expiry.

    The address never reaches the report, the audit trail or the task queue: the
    confirmation task is given the contact's id.
    """
    report, urls = do_receive_report(
        "public",
        data["urls"],
        content_type=data["content_type"],
        found_where=data["found_where"],
        description=data["description"],
        immediate_danger=data["immediate_danger"],
    )
    if data["email"]:
        contact = FeedbackContact.objects.create(
            report=report,
            email=data["email"],
            language=get_language(),
            delete_after=timezone.now() + timedelta(days=guidance.feedback_retention_days),
        )
        transaction.on_commit(partial(send_confirmation.enqueue, contact.pk))
    return report, urls
