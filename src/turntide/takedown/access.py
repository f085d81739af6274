"""Reads of takedowns for staff pages: an unknown code is a 404."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from turntide.takedown.models import Mail, Notice, Takedown


def notice_for_staff(code: str) -> Notice:
    return get_object_or_404(Notice.objects.select_related("takedown__case"), code=code)


def open_takedown_for_staff(case_code: str) -> Takedown:
    """The open takedown of a case; a case without one is a 404 to the team's actions."""
    return get_object_or_404(
        Takedown.objects.select_related("case", "trace", "partner"),
        case__code=case_code,
        closed_at=None,
    )


def mail_for_staff(code: str) -> Mail:
    return get_object_or_404(Mail, code=code)
