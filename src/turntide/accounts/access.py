"""Which enrolment link a token opens."""

from __future__ import annotations

from django.utils import timezone

from turntide.accounts.enrolment import link_digest
from turntide.accounts.models import EnrolmentLink


def open_enrolment_link(token: str) -> EnrolmentLink | None:
    """The unused, unexpired link of an active account that `token` opens, or None."""
    return (
        EnrolmentLink.objects.select_related("user")
        .filter(digest=link_digest(token), used_at__isnull=True, user__is_active=True)
        .filter(expires_at__gt=timezone.now())
        .first()
    )
