"""Name resolution shared by the availability checker and the hosting trace.

Both resolve names themselves rather than letting a socket library do it, so that what is
vetted is exactly what is connected to or recorded. With no name servers configured the
checker asks the system resolver (hosts file included) and the trace reads
/etc/resolv.conf; with `TURNTIDE_DNS_SERVERS` (or a test's loopback stub) both ask those.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Sequence

import dns.exception
import dns.resolver

__all__ = ["LookupFailed", "NoSuchHost", "dns_resolver", "is_ip_literal", "resolve_addresses"]


class NoSuchHost(LookupError):
    """The name does not exist or has no address: the host is gone."""


class LookupFailed(LookupError):
    """The lookup itself failed (timeout, server failure): nothing is known about the host."""


def is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def dns_resolver(
    nameservers: Sequence[str] = (), port: int = 53, timeout: float = 5.0
) -> dns.resolver.Resolver:
    """A dnspython resolver for the given servers, or the system's configured ones."""
    try:
        resolver = dns.resolver.Resolver(configure=not nameservers)
    except dns.resolver.NoResolverConfiguration as error:
        raise LookupFailed(f"no DNS servers configured: {error}") from None
    if nameservers:
        resolver.nameservers = list(nameservers)
        resolver.port = port
    resolver.lifetime = timeout
    return resolver


def resolve_addresses(
    host: str, nameservers: Sequence[str] = (), port: int = 53, timeout: float = 5.0
) -> list[str]:
    """Every IPv4 and IPv6 address of `host`, in the resolver's order, without duplicates."""
    if is_ip_literal(host):
        return [str(ipaddress.ip_address(host))]
    if nameservers:
        return _ask_servers(host, dns_resolver(nameservers, port, timeout))
    return _ask_system(host)


def _ask_system(host: str) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        if error.errno in {socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME)}:
            raise NoSuchHost(f"no such host {host}") from None
        raise LookupFailed(f"DNS lookup of {host} failed: {error.strerror}") from None
    except UnicodeError:
        raise NoSuchHost(f"{host!r} is not a valid host name") from None
    addresses = [str(ipaddress.ip_address(info[4][0])) for info in infos]
    return list(dict.fromkeys(addresses))


def _ask_servers(host: str, resolver: dns.resolver.Resolver) -> list[str]:
    addresses: list[str] = []
    for record_type in ("A", "AAAA"):
        try:
            answer = resolver.resolve(host, record_type, raise_on_no_answer=False)
        except dns.resolver.NXDOMAIN:
            raise NoSuchHost(f"no such host {host}") from None
        except (dns.exception.Timeout, dns.resolver.NoNameservers) as error:
            raise LookupFailed(f"DNS lookup of {host} failed: {error}") from None
        except dns.exception.DNSException as error:
            raise NoSuchHost(f"{host!r} cannot be resolved: {error}") from None
        addresses.extend(str(ipaddress.ip_address(record.address)) for record in answer)
    if not addresses:
        raise NoSuchHost(f"{host} has no address")
    return list(dict.fromkeys(addresses))
