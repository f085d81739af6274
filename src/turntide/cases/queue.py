"""The queue and the search over every case: which cases, in what order, on which page."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Func, Q, QuerySet, TextField
from django.db.models.lookups import Exact, GreaterThan, LessThan
from django.utils import timezone
from django.utils.translation import gettext_lazy

from turntide.cases.models import CaseReport, URLCase
from turntide.cases.priority import queue_order
from turntide.cases.transitions import WORKABLE_STATUSES
from turntide.core.urls import InvalidURL, canonical_and_key

Status = URLCase.Status

PAGE_SIZE = 100
FILTERS = ("status", "source", "country", "waiting")

# The queue's sortable columns: the name in `?sort=` and the order it stands for.
SORTS = {
    "danger": "immediate_danger",
    "status": "status",
    "reports": "report_count",
    "source": "source_confidence",
    "country": "hosting_country",
    "due": "due_at",
}

# The queue's columns: heading and `?sort=` key (SORTS), or no key when not sortable.
COLUMNS = (
    (gettext_lazy("Case"), "danger"),
    (gettext_lazy("Web address"), ""),
    (gettext_lazy("Status"), "status"),
    (gettext_lazy("Reports"), "reports"),
    (gettext_lazy("Source trust"), "source"),
    (gettext_lazy("Hosting country"), "country"),
    (gettext_lazy("Time left"), "due"),
)


def queue(
    search: str = "", filters: dict[str, str] | None = None, sort: str = ""
) -> QuerySet[URLCase]:
    """Workable cases in priority order (cases.priority), narrowed by filters; with `search`
    or a `status` filter, cases in every status (see `matching`).

    Filters: `status`, `source` (a report channel), `country` (hosting country) and
    `waiting` (hours). `sort`: a key of SORTS, descending with a leading "-".
    """
    filters = filters or {}
    cases = URLCase.objects.all()
    if search:
        cases = cases.filter(matching(search))
    if filters.get("status") in Status.values:
        cases = cases.filter(status=filters["status"])
    elif not search:
        cases = cases.filter(status__in=WORKABLE_STATUSES)
    if filters.get("source"):
        channel = CaseReport.objects.filter(reported_url__report__channel=filters["source"])
        cases = cases.filter(pk__in=channel.values("case_id"))
    if filters.get("country"):
        cases = cases.filter(hosting_country=filters["country"].upper()[:2])
    if re.fullmatch(r"[0-9]{1,5}", filters.get("waiting", "")):
        since = timezone.now() - timedelta(hours=int(filters["waiting"]))
        cases = cases.filter(first_reported_at__lte=since)
    descending, key = sort.startswith("-"), sort.removeprefix("-")
    order = [("-" if descending else "") + SORTS[key]] if key in SORTS else []
    return cases.order_by(*order, *queue_order()).select_related("claimed_by")


def matching(text: str) -> Q:
    """Cases that `text` names: a case code, a report reference, any spelling of a URL, a
    host or a domain (every host under it), or part of a canonical address.

    Each part is one that an index serves on PostgreSQL (migration 0012: the host index, and
    the trigram index for part of an address), so that the database combines them without
    reading every case.
    """
    text = text.strip()
    match = Q(code=text.upper())
    # Looked up first: as a subquery it would be a filter on every case, not an index scan.
    referenced = CaseReport.objects.filter(reported_url__report__reference=text.upper())
    if ids := list(referenced.values_list("case_id", flat=True)):
        match |= Q(pk__in=ids)
    part_of_address = Q(canonical_url__iregex=re.escape(text))
    try:
        canonical, key = canonical_and_key(text)
    except InvalidURL:
        return match | part_of_address
    host, _slash, rest = canonical.partition("://")[2].partition("/")
    if rest or "." not in host:
        return match | Q(url_key=key.hex()) | part_of_address
    # A host name alone: every address on it and on the hosts under it, and no other
    # address that merely contains it (site.example is not site.example.com).
    if connection.vendor != "postgresql":
        return match | Q(canonical_url__regex=rf"^https?://([^/]*\.)?{re.escape(host)}/")
    # Backwards, the hosts under site.example are those that begin "elpmaxe.etis.": one
    # range of the index, from "elpmaxe.etis." up to "elpmaxe.etis/" ("/" follows ".").
    backwards, on_host = host[::-1], ReversedHost("canonical_url")
    under = GreaterThan(on_host, f"{backwards}.") & LessThan(on_host, f"{backwards}/")
    return match | Q(Exact(on_host, backwards)) | Q(under)


class ReversedHost(Func):
    """The host of a canonical address, backwards, compared byte by byte (PostgreSQL); the
    same expression as the index `case_host_idx` of migration 0012, which serves it."""

    template = "(reverse(split_part(%(expressions)s, '/', 3)) COLLATE \"C\")"
    output_field = TextField()


def columns(kept: dict[str, str], sort: str) -> list[dict[str, str]]:
    """Each column's heading, its sorting link (ascending first, then descending) and state."""
    headings = []
    for label, key in COLUMNS:
        state = {key: "ascending", f"-{key}": "descending"}.get(sort, "") if key else ""
        link = urlencode({**kept, "sort": f"-{key}" if state == "ascending" else key})
        headings.append({"label": str(label), "key": key, "state": state, "link": link})
    return headings


def page_of(query: Any) -> dict[str, Any]:
    """The queue page that a request's query string (`q`, FILTERS, `sort`, `page`) asks for,
    as template context."""
    search = query.get("q", "").strip()[:200]
    filters = {name: query.get(name, "").strip()[:20] for name in FILTERS}
    sort = query.get("sort", "").strip()[:20]
    kept = {key: value for key, value in (("q", search), *filters.items()) if value}
    page: Page[URLCase] = Paginator(queue(search, filters, sort), PAGE_SIZE).get_page(
        query.get("page")
    )
    return {
        "cases": page.object_list,
        "page": page,
        "page_query": urlencode({**kept, "sort": sort} if sort else kept),
        "columns": columns(kept, sort),
        "waiting": page.paginator.count,
        "search": search,
        "filters": filters,
        "statuses": Status.choices,
    }
