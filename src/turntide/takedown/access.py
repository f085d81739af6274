"""Reads of takedowns for staff pages: an unknown code is a 404."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from turntide.takedown.models import Notice


def notice_for_staff(code: str) -> Notice:
    return get_object_or_404(Notice.objects.select_related("takedown__case"), code=code)
