"""The URL list: built from the cases, versioned, and served as deltas.

A case assessed criminal and not yet removed is on the list, as the SHA-256 of its full
lookup expression (host, path and query: the case's own key). Publishing reconciles the
list with the cases, so a missed signal can only delay an entry, never lose or strand one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from turntide.audit.actions import Actor, record
from turntide.cases.models import URLCase
from turntide.members.models import ListVersion, URLListEntry

URL_LIST = "urls"
# Safe Browsing expressions need no public suffix list; the field is in the contract.
PSL_VERSION = "none"


def _full_expression(canonical_url: str) -> str:
    return canonical_url.split("://", 1)[1]


@transaction.atomic
def do_publish_url_list(actor: Actor = None) -> int:
    """Bring the list in line with the cases; return the (possibly unchanged) version."""
    current, _created = ListVersion.objects.get_or_create(name=URL_LIST)
    current = ListVersion.objects.select_for_update().get(pk=current.pk)
    wanted = dict(
        URLCase.objects.filter(status=URLCase.Status.ACTIONED).values_list("url_key", "code")
    )
    present = set(
        URLListEntry.objects.filter(removed_version__isnull=True).values_list("sha256", flat=True)
    )
    to_add = {key: code for key, code in wanted.items() if key not in present}
    to_remove = present - wanted.keys()
    if not to_add and not to_remove:
        return current.version
    version = current.version + 1
    now = timezone.now()
    cases = dict(URLCase.objects.filter(url_key__in=to_add).values_list("url_key", "canonical_url"))
    URLListEntry.objects.bulk_create(
        [
            URLListEntry(
                sha256=key,
                expression=_full_expression(cases[key]),
                case_code=code,
                added_version=version,
                added_at=now,
            )
            for key, code in to_add.items()
        ],
        batch_size=2000,
    )
    URLListEntry.objects.filter(sha256__in=to_remove, removed_version__isnull=True).update(
        removed_version=version, removed_at=now
    )
    ListVersion.objects.filter(pk=current.pk).update(version=version, published_at=now)
    record(
        actor,
        "list.published",
        object_type="list",
        object_code=URL_LIST,
        details={"version": version, "added": len(to_add), "removed": len(to_remove)},
    )
    return version


@dataclass(frozen=True)
class Delta:
    version: int
    added: list[dict[str, Any]]
    removed: list[dict[str, Any]]


def url_list_delta(since: int, *, plain: bool) -> Delta:
    """What changed after version `since` (0: the whole list as `added`)."""
    version = ListVersion.objects.filter(name=URL_LIST).values_list("version", flat=True).first()
    version = version or 0
    if since >= version:
        return Delta(version, [], [])
    fields = ["sha256", "expression"] if plain else ["sha256"]
    added = list(
        URLListEntry.objects.filter(added_version__gt=since, removed_version__isnull=True)
        .order_by("pk")
        .values(*fields)
    )
    # Present at `since` and gone now; an expression withdrawn and listed again in between is
    # simply still present, so it appears in neither list.
    again = {entry["sha256"] for entry in added}
    removed = [
        entry
        for entry in URLListEntry.objects.filter(
            added_version__lte=since, removed_version__gt=since
        )
        .order_by("pk")
        .values(*fields)
        if entry["sha256"] not in again
    ]
    return Delta(version, added, removed)
