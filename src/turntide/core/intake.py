"""Which web addresses intake takes: hosts on the public internet only.

Every door (the form, the API, the exchange, the reports import) passes this one check after
canonicalisation (`turntide.core.urls`), so that no case is ever opened for a computer's own
name, a private network or a name that exists only in examples.
"""

from __future__ import annotations

import functools
import hashlib
import ipaddress

from publicsuffixlist import PublicSuffixList

from turntide.core.addresses import IPAddress, special_use
from turntide.core.urls import InvalidURL, Refusal, browser_parseable, canonical_parts

__all__ = ["public_address_problem", "public_canonical_and_key"]

RESERVED_SUFFIXES = frozenset({"test", "example", "invalid"})
RESERVED_DOMAINS = ("example.com", "example.net", "example.org")


def public_address_problem(url: str, *, allow_reserved: bool) -> Refusal | None:
    """None when `url` names a host on the public internet, else why intake refuses it.

    Refused always: what has no canonical form or that no browser would open, one-label
    hosts, `localhost` and names under it, and IP addresses in special-use ranges
    (turntide.core.addresses). The names of RFC 2606 and 6761 (`.test`, `.example`,
    `.invalid`, `example.com`...) and names whose suffix is not on the Public Suffix List
    are refused unless `allow_reserved`, which the demo and tests set: they use such names
    so that no real site is ever named.

    >>> public_address_problem("bücher.de/x", allow_reserved=False) is None
    True
    >>> public_address_problem("http://192.168.1.1/admin", allow_reserved=True).code
    'special-address'
    >>> public_address_problem("hello", allow_reserved=True).reason
    '"hello" has no dot: it is a name on one network, not an internet address'
    >>> public_address_problem("http://shop.example/", allow_reserved=True) is None
    True
    >>> public_address_problem("http://shop.example/", allow_reserved=False).code
    'reserved-name'
    >>> public_address_problem("http://intranet.corp/", allow_reserved=False).params
    {'suffix': 'corp'}
    """
    checked = public_canonical_and_key(url, allow_reserved=allow_reserved)
    return checked if isinstance(checked, Refusal) else None


def public_canonical_and_key(url: str, *, allow_reserved: bool) -> tuple[str, bytes] | Refusal:
    """`canonical_and_key(url)` when `url` names a host on the public internet, else why
    intake refuses it (`public_address_problem`): intake's check and its key from one
    canonicalisation.

    >>> public_canonical_and_key("HTTP://Shop.Example/a/../b", allow_reserved=True)[0]
    'http://shop.example/b'
    >>> public_canonical_and_key("http://localhost/", allow_reserved=True).code
    'localhost'
    """
    try:
        scheme, location = canonical_parts(url)
    except InvalidURL as error:
        return error.refusal
    refusal = _public_problem(scheme, location, allow_reserved=allow_reserved)
    if refusal is not None:
        return refusal
    return f"{scheme}://{location}", hashlib.sha256(location.encode("ascii")).digest()


def _public_problem(scheme: str, location: str, *, allow_reserved: bool) -> Refusal | None:
    if unparseable := browser_parseable(f"{scheme}://{location}"):
        return Refusal("not-browsable", unparseable)
    host = location[: location.index("/")]
    if ip := _ip_literal(host):
        kind = special_use(ip)
        if kind is None:
            return None
        return Refusal(
            "special-address",
            f"{ip} is a {kind[1]} address, not one on the public internet",
            {"address": str(ip), "kind": kind[0]},
        )
    labels = host.split(".")
    if labels[-1] == "localhost":
        return Refusal("localhost", f'"{host}" names the computer it is typed on', {"host": host})
    if len(labels) == 1:
        return Refusal(
            "one-label",
            f'"{host}" has no dot: it is a name on one network, not an internet address',
            {"host": host},
        )
    if allow_reserved:
        return None
    if labels[-1] in RESERVED_SUFFIXES or host.endswith(RESERVED_DOMAINS):
        return Refusal(
            "reserved-name", f'"{host}" is reserved for examples and tests', {"host": host}
        )
    if _public_suffixes().publicsuffix(host, accept_unknown=False) is None:
        return Refusal(
            "unknown-suffix",
            f'".{labels[-1]}" is not a domain ending in use on the internet',
            {"suffix": labels[-1]},
        )
    return None


@functools.cache
def _public_suffixes() -> PublicSuffixList:
    return PublicSuffixList()


def _ip_literal(host: str) -> IPAddress | None:
    """The address a canonical host spells out (`[v6]` or dotted IPv4), if it is one."""
    try:
        return ipaddress.ip_address(host[1:-1] if host[0] == "[" else host)
    except ValueError:
        return None
