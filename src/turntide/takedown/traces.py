"""Hosting traces: `tracing.trace` with the configured databases, and every result kept.

A host's hosting changes over time, and the history matters (which network hosted it when
the notice went out), so each trace is a new row with its time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from urllib.parse import urlsplit

from turntide.audit.actions import record
from turntide.cases.models import URLCase
from turntide.core.urls import canonicalize
from turntide.takedown.models import HostingTrace
from turntide.takedown.routing import AbuseLookup
from turntide.takedown.tracing import (
    TraceConfig,
    TracedHost,
    TraceError,
    abuse_lookup_from_settings,
    trace,
)

logger = logging.getLogger(__name__)

# Traces one host name: `trace_host` in production, a stand-in with the same result in tests.
Tracer = Callable[[str], TracedHost]


def trace_host(host: str) -> TracedHost:
    return trace(host, TraceConfig.from_settings())


def host_to_trace(case: URLCase) -> str | None:
    """The host of the case's stored URL; None, logged, when today's rules refuse that URL
    (one stored before they did), so that the case is skipped rather than failing for ever."""
    try:
        canonicalize(case.canonical_url)
        host = urlsplit(case.canonical_url).hostname
    except ValueError as error:  # InvalidURL is one
        logger.error("case %s has an address that cannot be traced: %s", case.code, error)
        return None
    return host or None


def rdap_lookup() -> AbuseLookup | None:
    """Abuse addresses from RDAP when TURNTIDE_RDAP_URL is set, else None."""
    rdap = abuse_lookup_from_settings()
    if rdap is None:
        return None

    def lookup(hosting: HostingTrace) -> str:
        if not hosting.addresses:
            return ""
        try:
            return rdap.abuse_email(hosting.addresses[0]) or ""
        except TraceError:
            return ""

    return lookup


def store_trace(case: URLCase, found: TracedHost, reason: str) -> HostingTrace:
    """Keep one trace of the case's host, with its time."""
    stored = HostingTrace.objects.create(
        case=case,
        reason=reason,
        host=found.host,
        cname_chain=list(found.cname_chain),
        addresses=list(found.addresses),
        asn=found.asn,
        as_name=found.as_name,
        country=found.country,
        cdn=found.cdn,
        source=found.source,
        traced_at=found.traced_at,
    )
    record(
        "system",
        "takedown.traced",
        object_type="case",
        object_code=case.code,
        details={"host": stored.host, "asn": stored.asn, "country": stored.country},
    )
    return stored
