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
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from turntide.audit.actions import Actor, record
from turntide.cases.models import URLCase
from turntide.core.urls import InvalidURL, expressions, reaches_below
from turntide.lists.models import URL_LIST
from turntide.lists.versions import Delta, next_version, versioned_delta
from turntide.members.models import DedicatedSite, URLListEntry

logger = logging.getLogger(__name__)

# The Public Suffix List that vetted the whole-site entries (members.dedicated): the
# publicsuffixlist package's version, whose last part is the list's date.
PSL_VERSION = importlib.metadata.version("publicsuffixlist")


def _full_expression(canonical_url: str) -> str:
    return canonical_url.split("://", 1)[1]


def sha256_hex(expression: str) -> str:
    return hashlib.sha256(expression.encode()).hexdigest()


def keyed_sha256(key: str, expression: str) -> str:
    """An expression's hash under a member's list key (see `Organisation.list_key`)."""
    return hmac.new(key.encode(), expression.encode(), hashlib.sha256).hexdigest()


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
    with next_version(URL_LIST) as version:
        wanted = wanted_entries(version.at)
        present = set(
            URLListEntry.objects.filter(removed_version__isnull=True).values_list(
                "sha256", flat=True
            )
        )
        to_add = _with_expressions({k: w for k, w in wanted.items() if k not in present})
        to_remove = present - wanted.keys()
        if not to_add and not to_remove:
            return version.published
        URLListEntry.objects.bulk_create(
            [
                URLListEntry(
                    sha256=key,
                    expression=w.expression,
                    kind=w.kind,
                    case_code=w.case_code,
                    added_version=version.number,
                    added_at=version.at,
                )
                for key, w in to_add.items()
            ],
            batch_size=2000,
        )
        URLListEntry.objects.filter(sha256__in=to_remove, removed_version__isnull=True).update(
            removed_version=version.number, removed_at=version.at
        )
        version.changed = True
    record(
        actor,
        "list.published",
        object_type="list",
        object_code=URL_LIST,
        details={"version": version.number, "added": len(to_add), "removed": len(to_remove)},
    )
    return version.number


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
        digest = keyed_sha256(key, expression) if key else entry["sha256"]
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
