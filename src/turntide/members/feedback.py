"""Withdrawing an entry that members' feedback says matches harmless content.

The review list (`turntide.lists.feedback`) names entries by type and value; this finds them
on the hash and URL lists and withdraws them through the lists' own withdrawals, so the
withdrawal is audited, makes a new list version, and takes the permission it takes anywhere:
`hashes.change_hashentry` for a hash, `members.mark_dedicated_site` for a whole site. A URL
entry follows its case's judgement and is withdrawn by an appeal on the case, not here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from turntide.hashes.actions import do_withdraw_hashes
from turntide.hashes.models import HashEntry
from turntide.lists.feedback import Review, do_review_feedback
from turntide.members.dedicated import do_withdraw_dedicated
from turntide.members.models import DedicatedSite, URLListEntry

WITHDRAWAL_PERMISSIONS = {
    **{kind: "hashes.change_hashentry" for kind in HashEntry.Type.values},
    URLListEntry.Kind.DOMAIN: "members.mark_dedicated_site",
}
NOTE = "members' feedback: matches harmless content"


class NotWithdrawable(ValueError):
    pass


def withdrawal_permission(entry_type: str) -> str | None:
    """What withdrawing an entry of this type takes; None: not withdrawn from feedback."""
    return WITHDRAWAL_PERMISSIONS.get(entry_type)


def still_listed(rows: Iterable[dict[str, Any]]) -> set[tuple[str, str]]:
    """The (type, value) of the review list's `rows` whose entries are listed now."""
    rows = list(rows)
    hashes = HashEntry.objects.filter(
        withdrawn_version__isnull=True,
        value__in=[row["entry_value"] for row in rows if row["entry_type"] in HashEntry.Type],
    ).values_list("type", "value")
    urls = URLListEntry.objects.filter(
        removed_version__isnull=True,
        sha256__in=[row["entry_value"] for row in rows if row["entry_type"] in URLListEntry.Kind],
    ).values_list("kind", "sha256")
    return {*hashes, *urls}


@transaction.atomic
def do_withdraw_reported_entry(user: User, entry_type: str, entry_value: str) -> int:
    """Withdraw a listed entry that feedback reported and mark its feedback reviewed.
    Returns how many entries were withdrawn; `NotWithdrawable` if it is not listed
    or not of a kind withdrawn here. The caller checks `withdrawal_permission`."""
    if entry_type in HashEntry.Type:
        entries = HashEntry.objects.filter(type=entry_type, value=entry_value)
        count = do_withdraw_hashes(user, entries, HashEntry.Withdrawal.FALSE_POSITIVE, NOTE)
    elif entry_type == URLListEntry.Kind.DOMAIN:
        count = _withdraw_site(user, entry_value)
    else:
        raise NotWithdrawable("a URL entry follows its case: an upheld appeal withdraws it")
    if not count:
        raise NotWithdrawable("that entry is no longer listed")
    do_review_feedback(user, entry_type, entry_value, Review.WITHDRAWN)
    return count


def _withdraw_site(user: User, sha256: str) -> int:
    expression = (
        URLListEntry.objects.filter(sha256=sha256, removed_version__isnull=True)
        .values_list("expression", flat=True)
        .first()
    )
    site = DedicatedSite.objects.filter(
        host=(expression or "").rstrip("/"), withdrawn_at__isnull=True
    ).first()
    if site is None:
        return 0
    do_withdraw_dedicated(user, site.pk)
    return 1
