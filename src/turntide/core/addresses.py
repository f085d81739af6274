"""Which IP addresses belong to the public internet, and what the others are.

Two parts of Turntide need the same answer: intake refuses reports of addresses nobody on
the internet can reach (a router's 192.168.1.1, this machine's 127.0.0.1), and the
availability checker refuses to contact them (no server-side request forgery). One list
keeps the two from drifting apart.

>>> special_use(ipaddress.ip_address("10.1.2.3"))
('private', 'private')
>>> address_problem(ipaddress.ip_address("64:ff9b::7f00:1"))
'loopback address 127.0.0.1 (inside NAT64 address 64:ff9b::7f00:1)'
>>> address_problem(ipaddress.ip_address("93.184.215.14")) is None
True
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

__all__ = ["IPAddress", "address_problem", "special_use"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_SHARED_ADDRESS_SPACE = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT, RFC 6598
_UNIQUE_LOCAL = ipaddress.ip_network("fc00::/7")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # well-known prefix, IPv4 in the last 32 bits
_LOCAL_NAT64 = ipaddress.ip_network("64:ff9b:1::/48")  # RFC 8215: inside one operator's network
_RFC1918 = tuple(ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"))

# (code, label in words, test), most specific first: 127.0.0.1 is loopback before it is
# "not global".
_KINDS: tuple[tuple[str, str, Callable[[IPAddress], bool]], ...] = (
    ("loopback", "loopback", lambda ip: ip.is_loopback),
    ("unspecified", "unspecified", lambda ip: ip.is_unspecified),
    ("link-local", "link-local", lambda ip: ip.is_link_local),
    ("multicast", "multicast", lambda ip: ip.is_multicast),
    ("shared", "shared (carrier-grade NAT)", lambda ip: ip in _SHARED_ADDRESS_SPACE),
    ("unique-local", "unique-local", lambda ip: ip in _UNIQUE_LOCAL),
    ("local-nat64", "local-use NAT64", lambda ip: ip in _LOCAL_NAT64),
    ("private", "private", lambda ip: any(ip in network for network in _RFC1918)),
    ("reserved", "reserved", lambda ip: ip.is_reserved),
    ("special-use", "special-use", lambda ip: not ip.is_global),
)


def special_use(ip: IPAddress) -> tuple[str, str] | None:
    """`(code, label)` of the special-use range `ip` is in, or None for a public address.

    A NAT64 or 6to4 address is judged by the IPv4 address it leads to; an IPv4-mapped one
    is never public (it names an IPv4 host through this machine's own stack).

    >>> special_use(ipaddress.ip_address("2002:a00:1::1"))
    ('private', 'private')
    >>> special_use(ipaddress.ip_address("::ffff:8.8.8.8"))
    ('ipv4-mapped', 'IPv4-mapped')
    """
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return "ipv4-mapped", "IPv4-mapped"
        embedded, _kind = _embedded_ipv4(ip)
        if embedded is not None:
            return special_use(embedded)
    return next(((code, label) for code, label, applies in _KINDS if applies(ip)), None)


def address_problem(ip: IPAddress) -> str | None:
    """Why a checker must not contact `ip`, or None for an ordinary public address.

    >>> address_problem(ipaddress.ip_address("10.1.2.3"))
    'private address 10.1.2.3'
    """
    found = special_use(ip)
    if found is None:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is None:
        embedded, kind = _embedded_ipv4(ip)
        if embedded is not None:
            return f"{found[1]} address {embedded} (inside {kind} address {ip})"
    return f"{found[1]} address {ip}"


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> tuple[ipaddress.IPv4Address | None, str]:
    """The IPv4 address a NAT64 or 6to4 address leads to (DNS64 resolvers hand these out)."""
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF), "NAT64"
    if ip.sixtofour is not None:
        return ip.sixtofour, "6to4"
    return None, ""
