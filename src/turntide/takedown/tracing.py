"""Where is a host hosted? CNAME chain, addresses, network (ASN), country, and any CDN.

The answer decides where a notice goes, and it changes over time, so the takedown app
stores every trace with its time. Addresses come from DNS (dnspython: the CNAME chain, A and
AAAA). The network and country come from offline databases only, so tracing never tells a
third party which hosts the hotline is looking at: MaxMind-format files that the hotline
installs (GeoLite2 or DB-IP, `TURNTIDE_GEOIP_COUNTRY_DB` / `TURNTIDE_GEOIP_ASN_DB`), else the
data that ships with the `geoip2fast` package (country and network name, no AS number).
A host behind a known CDN is flagged: the notice then goes to the CDN, asking for the origin.
The abuse contact of a network may be looked up by RDAP (`RDAPLookup`), behind the
`AbuseContactLookup` interface; the administrators' own directory comes first.

No Django import: configuration is passed in (`TraceConfig`).
"""

from __future__ import annotations

import functools
import ipaddress
import json
import os
import re
import urllib.error
import urllib.request
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import dns.exception
import dns.resolver
import idna
import maxminddb

from turntide.takedown.resolver import dns_resolver, is_ip_literal

__all__ = [
    "CDNS",
    "RDAP_MAX_BYTES",
    "AbuseContactLookup",
    "RDAPLookup",
    "TraceConfig",
    "TraceError",
    "TracedHost",
    "abuse_email_in",
    "abuse_lookup_from_settings",
    "cdn_for",
    "trace",
]


class TraceError(Exception):
    """DNS could not be asked (timeout, server failure): try again later."""


@dataclass(frozen=True)
class TraceConfig:
    nameservers: tuple[str, ...] = ()  # empty: the system's resolvers (/etc/resolv.conf)
    dns_port: int = 53
    timeout_seconds: float = 5.0
    country_db: str | None = None  # MaxMind-format country (or city) database
    asn_db: str | None = None  # MaxMind-format ASN database
    rdap_url: str | None = None  # e.g. https://rdap.org; None: no RDAP lookups

    @classmethod
    def from_settings(cls) -> TraceConfig:
        """The configuration in Django settings (TURNTIDE_GEOIP_*, _DNS_SERVERS, _RDAP_URL)."""
        from django.conf import settings

        return cls(
            nameservers=tuple(settings.TURNTIDE_DNS_SERVERS),
            timeout_seconds=float(settings.TURNTIDE_CHECKER_TIMEOUT),
            country_db=settings.TURNTIDE_GEOIP_COUNTRY_DB or None,
            asn_db=settings.TURNTIDE_GEOIP_ASN_DB or None,
            rdap_url=settings.TURNTIDE_RDAP_URL or None,
        )


@dataclass(frozen=True)
class TracedHost:
    host: str
    cname_chain: list[str]  # the aliases followed, in order, without trailing dots
    addresses: list[str]  # A then AAAA, each in numeric order
    asn: int | None
    as_name: str
    country: str  # ISO 3166-1 alpha-2, or "" when unknown
    cdn: str  # the known CDN the host sits behind, or ""
    source: str  # the databases that answered: "maxmind:<file>", "geoip2fast", comma-joined
    traced_at: datetime


@dataclass(frozen=True)
class CDN:
    name: str
    asns: frozenset[int]
    as_name_words: tuple[str, ...]  # lower case; geoip2fast names networks but gives no number
    cname_suffixes: tuple[str, ...]


CDNS = (
    CDN("Cloudflare", frozenset({13335, 209242}), ("cloudflare",), (".cdn.cloudflare.net",)),
    CDN(
        "Akamai",
        frozenset({20940, 16625, 16702, 21342, 32787, 12222}),
        ("akamai",),
        (".akamaiedge.net", ".akamai.net", ".edgekey.net", ".edgesuite.net", ".akamaized.net"),
    ),
    CDN("Fastly", frozenset({54113}), ("fastly",), (".fastly.net", ".fastlylb.net")),
    # AS16509 is all of Amazon's cloud, so only the name tells CloudFront apart.
    CDN("Amazon CloudFront", frozenset(), (), (".cloudfront.net",)),
    CDN("Edgio (Edgecast)", frozenset({15133}), ("edgecast",), (".edgecastcdn.net",)),
    CDN("Azure Front Door", frozenset(), (), (".azurefd.net", ".azureedge.net")),
    CDN("Imperva", frozenset({19551}), ("incapsula", "imperva"), (".incapdns.net",)),
    CDN("Sucuri", frozenset({30148}), ("sucuri",), (".sucuri.net",)),
    CDN("DDoS-Guard", frozenset({57724}), ("ddos-guard",), (".ddos-guard.net",)),
    CDN("Bunny CDN", frozenset({200325}), ("bunnyway",), (".b-cdn.net",)),
    CDN("CDN77", frozenset({60068}), ("datacamp", "cdn77"), (".cdn77.org",)),
)


def cdn_for(asn: int | None, as_name: str, cname_chain: list[str]) -> str:
    """The known CDN that these network facts point to, or "".

    >>> cdn_for(13335, "", [])
    'Cloudflare'
    >>> cdn_for(None, "", ["d111111abcdef8.cloudfront.net"])
    'Amazon CloudFront'
    >>> cdn_for(64500, "Example Hosting", ["www.example.com"])
    ''
    """
    lowered_name = as_name.lower()
    names = [name.lower().rstrip(".") for name in cname_chain]
    for cdn in CDNS:
        if asn in cdn.asns or any(word in lowered_name for word in cdn.as_name_words):
            return cdn.name
        if any(f".{name}".endswith(cdn.cname_suffixes) for name in names):
            return cdn.name
    return ""


def trace(host: str, config: TraceConfig) -> TracedHost:
    """Trace `host` now. A name that does not exist (or cannot) gives a trace without addresses."""
    host = host.strip().lower().rstrip(".").removeprefix("[").removesuffix("]")
    if not host:
        raise ValueError("no host to trace")
    cname_chain: list[str] = []
    if is_ip_literal(host):
        host = str(ipaddress.ip_address(host))
        addresses = [host]
    else:
        cname_chain, addresses = _resolve(host, config)
    asn: int | None = None
    as_name = country = ""
    sources: list[str] = []
    if addresses:
        asn, as_name, country, sources = _locate(addresses[0], config)
    return TracedHost(
        host=host,
        cname_chain=cname_chain,
        addresses=addresses,
        asn=asn,
        as_name=as_name,
        country=country,
        cdn=cdn_for(asn, as_name, cname_chain),
        source=",".join(sources),
        traced_at=datetime.now(UTC),
    )


def _resolve(host: str, config: TraceConfig) -> tuple[list[str], list[str]]:
    try:
        resolver = dns_resolver(config.nameservers, config.dns_port, config.timeout_seconds)
    except LookupError as error:
        raise TraceError(str(error)) from None
    cname_chain: list[str] = []
    addresses: list[str] = []
    for record_type in ("A", "AAAA"):
        try:
            answer = resolver.resolve(host, record_type, raise_on_no_answer=False)
        except (dns.exception.Timeout, dns.resolver.NoNameservers) as error:
            raise TraceError(f"DNS lookup of {host} failed: {error}") from None
        except dns.exception.DNSException:  # NXDOMAIN, or a name DNS cannot hold
            return cname_chain, []
        for cname in answer.chaining_result.cnames:
            for record in cname:
                target = record.target.to_text().rstrip(".")
                if target not in cname_chain:
                    cname_chain.append(target)
        # Sorted, so that two traces of an unchanged host compare equal.
        addresses.extend(sorted({record.address for record in answer}, key=ipaddress.ip_address))
    return cname_chain, addresses


def _locate(address: str, config: TraceConfig) -> tuple[int | None, str, str, list[str]]:
    """ASN, network name, country and the databases that gave them, for one address."""
    asn: int | None = None
    as_name = country = ""
    sources: list[str] = []
    if config.asn_db:
        record = _maxmind_record(config.asn_db, address)
        number = record.get("autonomous_system_number")
        asn = number if isinstance(number, int) else None
        as_name = str(record.get("autonomous_system_organization") or "")
        sources.append(f"maxmind:{Path(config.asn_db).name}")
    if config.country_db:
        record = _maxmind_record(config.country_db, address)
        place = record.get("country") or record.get("registered_country")
        code = place.get("iso_code") if isinstance(place, dict) else None
        country = code if isinstance(code, str) else ""
        sources.append(f"maxmind:{Path(config.country_db).name}")
    if not (config.asn_db and config.country_db):
        found = _geoip2fast().lookup(address)
        if not config.asn_db:
            as_name = found.asn_name or ""
        if not config.country_db:
            code = found.country_code or ""
            country = code if len(code) == 2 and code.isalpha() else ""
        sources.append("geoip2fast")
    return asn, as_name, country, sources


def _maxmind_record(path: str, address: str) -> dict[str, Any]:
    """The record for `address` in the database at `path` ({} when it has none).

    The file is reopened when it is replaced (the databases are updated weekly)."""
    try:
        stat = os.stat(path)
    except OSError as error:
        raise TraceError(f"GeoIP database {path} cannot be read: {error}") from None
    try:
        record = _open_maxmind(path, stat.st_mtime_ns, stat.st_ino).get(address)
    except maxminddb.InvalidDatabaseError as error:
        raise TraceError(f"GeoIP database {path} is damaged: {error}") from None
    return record if isinstance(record, dict) else {}


@functools.lru_cache(maxsize=4)
def _open_maxmind(path: str, mtime_ns: int, inode: int) -> maxminddb.Reader:
    try:
        return maxminddb.open_database(path)
    except (OSError, ValueError, maxminddb.InvalidDatabaseError) as error:
        raise TraceError(f"GeoIP database {path} cannot be read: {error}") from None


@functools.cache
def _geoip2fast() -> Any:
    """The geoip2fast country+ASN data for IPv4 and IPv6, loaded once (about 0.3 s)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)  # its regexes predate Python 3.12
        import geoip2fast

        data = Path(geoip2fast.__file__).parent / "geoip2fast-asn-ipv6.dat.gz"
        return geoip2fast.GeoIP2Fast(geoip2fast_data_file=str(data))


RDAP_MAX_BYTES = 2_000_000  # a network's RDAP record is a few kilobytes


class AbuseContactLookup(Protocol):
    """Finds where to send an abuse notice for an address; None when nobody is named."""

    def abuse_email(self, address: str) -> str | None: ...


class RDAPLookup:
    """Abuse contacts from RDAP (RFC 9083): the entity with the "abuse" role, its vCard email.

    `base_url` is an RDAP service such as https://rdap.org (which redirects to the regional
    registry). Network failures raise TraceError; "no such network" gives None.
    """

    def __init__(self, base_url: str, timeout_seconds: float = 10.0) -> None:
        if not base_url.startswith(("https://", "http://")):
            raise ValueError(f"the RDAP service must be an http(s) address, not {base_url!r}")
        self.base_url = base_url.rstrip("/")
        self.timeout_seconds = timeout_seconds

    def abuse_email(self, address: str) -> str | None:
        ip = ipaddress.ip_address(address)
        request = urllib.request.Request(  # noqa: S310  (scheme checked in __init__)
            f"{self.base_url}/ip/{ip}", headers={"Accept": "application/rdap+json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_seconds) as response:  # noqa: S310
                raw = response.read(RDAP_MAX_BYTES + 1)
            if len(raw) > RDAP_MAX_BYTES:
                raise ValueError(f"answer larger than {RDAP_MAX_BYTES} bytes")
            document = json.loads(raw)
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return None
            raise TraceError(f"RDAP lookup of {ip} answered HTTP {error.code}") from None
        except (OSError, ValueError) as error:
            raise TraceError(f"RDAP lookup of {ip} failed: {error}") from None
        return abuse_email_in(document)


def abuse_email_in(document: Any) -> str | None:
    """The first email of an entity with the "abuse" role, searched depth-first.

    >>> abuse_email_in({"entities": [{"roles": ["registrant"], "entities": [
    ...     {"roles": ["abuse"], "vcardArray": ["vcard", [["version", {}, "text", "4.0"],
    ...         ["email", {}, "text", "abuse@hosting.example"]]]}]}]})
    'abuse@hosting.example'
    """
    if not isinstance(document, dict):
        return None
    for entity in document.get("entities") or []:
        if not isinstance(entity, dict):
            continue
        if "abuse" in (entity.get("roles") or []):
            email = _vcard_email(entity.get("vcardArray"))
            if email:
                return email
        nested = abuse_email_in(entity)
        if nested:
            return nested
    return None


def _vcard_email(vcard: Any) -> str | None:
    """The first well-formed email of a vCard; a malformed one (a line break could add mail
    headers, a display name or a second "@") counts as no address at all."""
    if not (isinstance(vcard, list) and len(vcard) == 2 and isinstance(vcard[1], list)):
        return None
    for item in vcard[1]:
        if isinstance(item, list) and len(item) == 4 and item[0] == "email":
            value = item[3].strip() if isinstance(item[3], str) else ""
            if _is_plain_email(value):
                return value
    return None


# An address as Django's EmailValidator takes it (an internationalised domain in its ASCII
# form), less what no network's abuse desk uses: `localhost` and IP-literal domains.
_EMAIL = re.compile(
    r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,63}|xn--[a-z0-9-]{1,59})",
    re.IGNORECASE | re.ASCII,
)
_EMAIL_MAX_LENGTH = 254  # RFC 5321's limit on a forward path, less its angle brackets


def _is_plain_email(value: str) -> bool:
    """Whether `value` is one bare address, safe to put in a To header.

    >>> _is_plain_email("abuse@hosting.example")
    True
    >>> _is_plain_email("abuse@example.test\\r\\nBcc: x@example.test")
    False
    >>> _is_plain_email("Abuse Desk <abuse@hosting.example>")
    False
    >>> _is_plain_email("abuse@bücher.example")
    True
    """
    if len(value) > _EMAIL_MAX_LENGTH:
        return False
    local, _, domain = value.rpartition("@")
    if not domain.isascii():
        try:
            domain = idna.encode(domain, uts46=True).decode("ascii")
        except idna.IDNAError:
            return False
    address = f"{local}@{domain}"
    return len(address) <= _EMAIL_MAX_LENGTH and _EMAIL.fullmatch(address) is not None


def abuse_lookup_from_settings() -> AbuseContactLookup | None:
    """The RDAP lookup named by TURNTIDE_RDAP_URL, or None when none is configured."""
    config = TraceConfig.from_settings()
    if config.rdap_url is None:
        return None
    return RDAPLookup(config.rdap_url, config.timeout_seconds)
