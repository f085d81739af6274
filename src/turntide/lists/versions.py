"""Versioned lists: what the URL, keyword and hash lists share.

Each list stores its entries from the version that added them to the one that withdrew them
(`added_version`, and `removed_version` or another name for the withdrawal), and has one
version row here. A writer takes the next version with `next_version`, which makes writers
of one list queue on its row, so each version is one consistent set of changes; readers
serve the changes after a member's version with `versioned_delta` or `changes_since`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from turntide.lists.models import ListVersion


@dataclass
class NextVersion:
    """The version a writer's changes will be published as, while it writes them.

    The writer sets `changed` when it wrote rows under `number`; otherwise the list keeps
    its version and `published` is the one it had.
    """

    number: int
    at: datetime
    changed: bool = False

    @property
    def published(self) -> int:
        """The list's version once the writer is done."""
        return self.number if self.changed else self.number - 1


@contextmanager
def next_version(name: str) -> Iterator[NextVersion]:
    """Lock the list's version row until the transaction ends (one writer at a time, so
    "is this entry listed yet" and the write cannot race), yield the next version to write
    rows under, and publish it if the writer says rows changed."""
    with transaction.atomic():
        row, _created = ListVersion.objects.get_or_create(name=name)
        row = ListVersion.objects.select_for_update().get(pk=row.pk)
        pending = NextVersion(row.version + 1, timezone.now())
        yield pending
        if pending.changed:
            ListVersion.objects.filter(pk=row.pk).update(
                version=pending.number, published_at=pending.at
            )


def current_version(name: str) -> int:
    return published(name)[0]


def published(name: str) -> tuple[int, datetime | None]:
    """The list's version and when it was published; (0, None) before its first change."""
    row = ListVersion.objects.filter(name=name).values_list("version", "published_at").first()
    return row or (0, None)


@dataclass(frozen=True)
class Delta:
    version: int
    added: list[dict[str, Any]]
    removed: list[dict[str, Any]]


def changes_since(
    entries: models.QuerySet[Any],
    since: int,
    *,
    fields: Sequence[str],
    identity: Sequence[str],
    order: str,
    gone: str = "removed_version",
    removed_fields: Sequence[str] = (),
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(added, removed) of a versioned list after version `since`: entries added after it and
    still present, and entries present at it and gone since (their `gone` version set).

    An entry withdrawn and listed again in between is simply present, so it appears only
    among the added, whose details replace the old.
    """
    key = itemgetter(*identity)
    added = list(
        entries.filter(added_version__gt=since, **{f"{gone}__isnull": True})
        .order_by(order)
        .values(*fields)
    )
    again = {key(entry) for entry in added}
    removed = [
        entry
        for entry in entries.filter(added_version__lte=since, **{f"{gone}__gt": since})
        .order_by(order)
        .values(*(removed_fields or fields))
        if key(entry) not in again
    ]
    return added, removed


def versioned_delta(
    entries: models.QuerySet[Any], name: str, since: int, fields: Sequence[str], **how: Any
) -> Delta:
    """What changed in the list `name` after version `since` (0: the whole list as added).

    `fields[0]` identifies an entry and orders them unless `how` (the keyword arguments of
    `changes_since`) says otherwise.
    """
    version = current_version(name)
    if since >= version:
        return Delta(version, [], [])
    how = {"identity": fields[:1], "order": fields[0], **how}
    added, removed = changes_since(entries, since, fields=fields, **how)
    return Delta(version, added, removed)
