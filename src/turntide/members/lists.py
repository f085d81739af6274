"""The URL list: built from the cases, versioned, and served as deltas.

A case assessed criminal and not yet removed is on the list, as the SHA-256 of its full
lookup expression (host, path and query: the case's own key); it stays for a grace period
after its removal is confirmed, because removed content often comes back at once. A site a
senior analyst judged dedicated to abuse is on it as a whole domain (`host/`). Publishing
reconciles the list with the cases, so a missed signal can only delay an entry, never lose
or strand one.
"""

from __future__ import annotations

import hashlib
import hmac
import importlib.metadata
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from operator import itemgetter
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from turntide.audit.actions import Actor, record
from turntide.cases.models import URLCase
from turntide.core.urls import InvalidURL, expressions, reaches_below
from turntide.members.models import DedicatedSite, ListVersion, URLListEntry

logger = logging.getLogger(__name__)

URL_LIST = "urls"
# The Public Suffix List that vetted the whole-site entries (members.dedicated): the
# publicsuffixlist package's version, whose last part is the list's date.
PSL_VERSION = importlib.metadata.version("publicsuffixlist")


def _full_expression(canonical_url: str) -> str:
    return canonical_url.split("://", 1)[1]


def sha256_hex(expression: str) -> str:
    return hashlib.sha256(expression.encode()).hexdigest()


def lock_version(name: str) -> ListVersion:
    """The list's version row, locked until the transaction ends: one publisher at a time."""
    current, _created = ListVersion.objects.get_or_create(name=name)
    return ListVersion.objects.select_for_update().get(pk=current.pk)


@dataclass(frozen=True)
class Wanted:
    kind: str
    case_code: str
    expression: str = ""  # filled in only for the entries about to be added


def wanted_entries(now: Any) -> dict[str, Wanted]:
    """What the list should hold now, by SHA-256 of the expression."""
    grace = timedelta(hours=settings.TURNTIDE_LIST_REMOVAL_GRACE_HOURS)
    listed_cases = URLCase.objects.filter(
        Q(status=URLCase.Status.ACTIONED)
        | Q(status=URLCase.Status.REMOVED, removed_at__gt=now - grace)
    )
    wanted = {
        key: Wanted(URLListEntry.Kind.URL, code)
        for key, code in listed_cases.values_list("url_key", "code")
    }
    for host, code in DedicatedSite.objects.filter(withdrawn_at__isnull=True).values_list(
        "host", "case_code"
    ):
        expression = f"{host}/"
        wanted[sha256_hex(expression)] = Wanted(URLListEntry.Kind.DOMAIN, code, expression)
    return wanted


def _with_expressions(to_add: dict[str, Wanted]) -> dict[str, Wanted]:
    """Fill in the expressions of new URL entries and refuse any a client never generates.

    A case's key is the hash of its URL's first lookup expression, under the canonicalisation
    rules in force when it was reported; should those rules have moved since, the stored
    entry would match nothing, or those rules now refuse its URL outright, so it is refused
    loudly rather than published uselessly, and the rest of the list goes out.
    """
    urls = dict(
        URLCase.objects.filter(
            url_key__in=[key for key, w in to_add.items() if w.kind == URLListEntry.Kind.URL]
        ).values_list("url_key", "canonical_url")
    )
    checked: dict[str, Wanted] = {}
    for key, wanted in to_add.items():
        if wanted.kind == URLListEntry.Kind.URL:
            expression = _full_expression(urls[key])
            generated = _first_expression(urls[key]) == expression
        else:
            expression = wanted.expression
            generated = reaches_below(expression)
        if generated and sha256_hex(expression) == key:
            checked[key] = Wanted(wanted.kind, wanted.case_code, expression)
        else:
            logger.warning(
                "refused list entry %r of case %s: clients never generate it",
                expression,
                wanted.case_code,
            )
    return checked


def _first_expression(canonical_url: str) -> str | None:
    try:
        return expressions(canonical_url)[0]
    except InvalidURL:
        return None


@transaction.atomic
def do_publish_url_list(actor: Actor = None) -> int:
    """Bring the list in line with the cases; return the (possibly unchanged) version."""
    current = lock_version(URL_LIST)
    now = timezone.now()
    wanted = wanted_entries(now)
    present = set(
        URLListEntry.objects.filter(removed_version__isnull=True).values_list("sha256", flat=True)
    )
    to_add = _with_expressions({k: w for k, w in wanted.items() if k not in present})
    to_remove = present - wanted.keys()
    if not to_add and not to_remove:
        return current.version
    version = current.version + 1
    URLListEntry.objects.bulk_create(
        [
            URLListEntry(
                sha256=key,
                expression=w.expression,
                kind=w.kind,
                case_code=w.case_code,
                added_version=version,
                added_at=now,
            )
            for key, w in to_add.items()
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


def current_version(name: str) -> int:
    version = ListVersion.objects.filter(name=name).values_list("version", flat=True).first()
    return version or 0


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

    Every list (URLs, keywords, hashes) stores entries from the version that added them to the
    one that withdrew them. An entry withdrawn and listed again in between is simply present,
    so it appears only among the added, whose details replace the old.
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
    entries: models.QuerySet[Any], name: str, since: int, fields: Sequence[str]
) -> Delta:
    """What changed in the list `name` after version `since` (0: the whole list as added);
    `fields[0]` identifies an entry and orders them."""
    version = current_version(name)
    if since >= version:
        return Delta(version, [], [])
    added, removed = changes_since(
        entries, since, fields=fields, identity=fields[:1], order=fields[0]
    )
    return Delta(version, added, removed)


def url_list_delta(since: int) -> Delta:
    """URL list changes after `since`, each entry with sha256, expression and kind."""
    fields = ("sha256", "expression", "kind")
    return versioned_delta(URLListEntry.objects.all(), URL_LIST, since, fields)


def for_member(entries: Iterable[dict[str, Any]], *, plain: bool, key: str) -> list[dict[str, Any]]:
    """Entries as one member may receive them: keyed hashes under its own key, if it has
    one; the expression itself only to the plain scope."""
    shaped = []
    for entry in entries:
        expression = entry["expression"]
        digest = (
            hmac.new(key.encode(), expression.encode(), hashlib.sha256).hexdigest()
            if key
            else entry["sha256"]
        )
        item = {"sha256": digest, "kind": entry["kind"]}
        if plain:
            item["expression"] = expression
        shaped.append(item)
    if key:
        shaped.sort(key=lambda item: item["sha256"])
    return shaped


def rpz_zone(delta: Delta) -> str:
    """The whole-domain entries as a DNS response policy zone (draft-vixie-dnsop-dns-rpz):
    each site and its subdomains answer NXDOMAIN. Owner names are relative, so the member
    names the zone in its resolver; always a full zone, serial = list version."""
    lines = [
        "$TTL 300",
        f"@ SOA localhost. root.localhost. {delta.version} 3600 600 604800 300",
        "@ NS localhost.",
    ]
    for entry in delta.added:
        if entry["kind"] == URLListEntry.Kind.DOMAIN:
            host = entry["expression"].rstrip("/")
            lines += [f"{host} CNAME .", f"*.{host} CNAME ."]
    return "\n".join(lines) + "\n"
