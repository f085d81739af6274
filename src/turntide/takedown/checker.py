"""Is a reported URL still up? Status codes only: never a body, never our own network.

The checker sends HEAD, or, when a server rejects HEAD (405, 501), a GET whose connection is
closed as soon as the headers are in; responses are read through an unbuffered socket file,
so not one byte past the headers is ever taken off the wire. Reported URLs are chosen by
strangers, so before any connection the host is resolved here and every address is vetted:
loopback, private, link-local, multicast, shared (CGNAT), unique-local, IPv4-mapped and other
special-use addresses are `refused` without a request. The connection then goes to the vetted
address itself (no second lookup, so no DNS rebinding), and every redirect is vetted again.
Redirects on the same host are followed; a redirect to another host is reported, not followed.

Built on `http.client` because it lets us choose the address connected to and stop reading
after the headers. No Django import: configuration is passed in (`CheckerConfig`).
"""

from __future__ import annotations

import base64
import functools
import http.client
import io
import ipaddress
import re
import socket
import ssl
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, unquote, urljoin, urlsplit

import idna

from turntide.core.addresses import address_problem
from turntide.takedown.resolver import LookupFailed, NoSuchHost, is_ip_literal, resolve_addresses

__all__ = [
    "OFFLINE",
    "ONLINE",
    "REDIRECT",
    "REFUSED",
    "STATES",
    "UNKNOWN",
    "CheckResult",
    "CheckerConfig",
    "InvalidTarget",
    "address_problem",
    "check",
]

ONLINE, OFFLINE, REDIRECT, UNKNOWN, REFUSED = "online", "offline", "redirect", "unknown", "refused"
STATES = (ONLINE, OFFLINE, REDIRECT, UNKNOWN, REFUSED)

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
HEAD_REJECTED = frozenset({405, 501})
GONE = frozenset({404, 410})

_HOST_NAME = re.compile(r"[a-z0-9_][a-z0-9_.-]*", re.IGNORECASE)
_NUMERIC_HOST = re.compile(r"(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+)){0,3}", re.IGNORECASE)


class InvalidTarget(ValueError):
    """The URL cannot be checked at all: not http(s), no host, or a malformed port or host."""


@dataclass(frozen=True)
class CheckerConfig:
    """How the checker reaches the web. Defaults are the safe production ones."""

    allow_private: bool = False  # demo and tests only: contact special-use addresses too
    proxy: str | None = None  # http://[user:password@]host:port
    user_agent: str = "Turntide-availability-check/1"
    timeout_seconds: float = 10.0
    max_redirects: int = 5
    # Special-use networks contacted all the same, e.g. a lab network; CIDR strings.
    allow_networks: tuple[str, ...] = ()
    # Name servers to ask instead of the system resolver (tests point these at a stub).
    nameservers: tuple[str, ...] = ()
    dns_port: int = 53

    def __post_init__(self) -> None:
        if self.timeout_seconds <= 0:
            raise ValueError("the checker's timeout must be positive")
        if self.max_redirects < 0:
            raise ValueError("max_redirects cannot be negative")
        for network in self.allow_networks:
            ipaddress.ip_network(network, strict=False)  # raises ValueError naming it
        if self.proxy is not None:
            _Proxy.parse(self.proxy)

    @classmethod
    def from_settings(cls) -> CheckerConfig:
        """The configuration in Django settings (TURNTIDE_CHECKER_*, TURNTIDE_DNS_SERVERS)."""
        from django.conf import settings

        return cls(
            allow_private=settings.TURNTIDE_CHECKER_ALLOW_PRIVATE,
            proxy=settings.TURNTIDE_CHECKER_PROXY or None,
            user_agent=settings.TURNTIDE_CHECKER_USER_AGENT,
            timeout_seconds=float(settings.TURNTIDE_CHECKER_TIMEOUT),
            allow_networks=tuple(settings.TURNTIDE_CHECKER_ALLOW_NETWORKS),
            nameservers=tuple(settings.TURNTIDE_DNS_SERVERS),
        )

    def permits(self, address: str) -> str | None:
        """None when `address` may be contacted, else why not ("private address 10.0.0.1")."""
        if self.allow_private:
            return None
        ip = ipaddress.ip_address(address)
        if any(ip in ipaddress.ip_network(n, strict=False) for n in self.allow_networks):
            return None
        return address_problem(ip)


@dataclass(frozen=True)
class CheckResult:
    url: str
    state: str  # one of STATES
    http_status: int | None
    location: str | None  # the other host's address when state is "redirect"
    detail: str  # why, in words: "HTTP 404", "DNS failure: no such host x.test", ...
    checked_at: datetime


def check(url: str, config: CheckerConfig) -> CheckResult:
    """Check `url` once. Raises InvalidTarget for a URL that is not http(s) with a host."""
    target = _Target.parse(url)

    def result(
        state: str, status: int | None, detail: str, location: str | None = None
    ) -> CheckResult:
        return CheckResult(url, state, status, location, detail, datetime.now(UTC))

    try:
        for _ in range(config.max_redirects + 1):
            status, location = _visit(target, config)
            if status not in REDIRECT_STATUSES:
                return result(_state_for(status), status, f"HTTP {status}")
            if not location:
                return result(UNKNOWN, status, f"HTTP {status} without a Location")
            next_url = urljoin(target.url, location)
            try:
                next_target = _Target.parse(next_url)
            except InvalidTarget as error:
                return result(UNKNOWN, status, f"redirect to {next_url!r}: {error}")
            if next_target.host != target.host:
                return result(REDIRECT, status, f"redirects to {next_target.host}", next_url)
            target = next_target
        return result(UNKNOWN, status, f"more than {config.max_redirects} redirects")
    except _Stop as stop:
        return result(stop.state, None, stop.detail)


def _state_for(status: int) -> str:
    if 200 <= status < 300:
        return ONLINE
    if status in GONE:
        return OFFLINE
    return UNKNOWN


class _Stop(Exception):
    """Ends a check early with a state and no HTTP status."""

    def __init__(self, state: str, detail: str) -> None:
        super().__init__(detail)
        self.state, self.detail = state, detail


def _dotted_ipv4(host: str) -> str:
    """An IPv4 address in any notation browsers accept, as dotted decimal; else `host`.

    >>> _dotted_ipv4("2130706433"), _dotted_ipv4("0x7f.1"), _dotted_ipv4("www.example.com")
    ('127.0.0.1', '127.0.0.1', 'www.example.com')
    """
    if not _NUMERIC_HOST.fullmatch(host):
        return host
    try:
        return socket.inet_ntoa(socket.inet_aton(host))
    except OSError:
        return host


@dataclass(frozen=True)
class _Target:
    """The parts of an http(s) URL that the checker needs, host already in ASCII."""

    url: str
    scheme: str
    host: str
    port: int
    path: str  # path and query, escaped, never empty

    @classmethod
    def parse(cls, url: str) -> _Target:
        try:
            parts = urlsplit(url.strip())
            port = parts.port
        except ValueError as error:
            raise InvalidTarget(f"{url!r}: {error}") from None
        scheme = parts.scheme.lower()
        if scheme not in {"http", "https"}:
            raise InvalidTarget(f"{url!r} is not an http or https address")
        if not parts.hostname:
            raise InvalidTarget(f"{url!r} has no host")
        host = unquote(parts.hostname).rstrip(".")
        if not host.isascii():
            try:
                host = idna.encode(host, uts46=True).decode("ascii")
            except idna.IDNAError as error:
                raise InvalidTarget(f"{url!r}: invalid host name: {error}") from None
        if not (is_ip_literal(host) or _HOST_NAME.fullmatch(host)):
            raise InvalidTarget(f"{url!r}: invalid host name {host!r}")
        host = _dotted_ipv4(host)
        path = parts.path or "/"
        if parts.query:
            path = f"{path}?{parts.query}"
        path = quote(path, safe="/%:@!$&'()*+,;=-._~?")
        if port == 0:
            raise InvalidTarget(f"{url!r}: port 0")
        default_port = 443 if scheme == "https" else 80
        return cls(parts.geturl(), scheme, host, port or default_port, path)

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default_port = 443 if self.scheme == "https" else 80
        return host if self.port == default_port else f"{host}:{self.port}"


def _visit(target: _Target, config: CheckerConfig) -> tuple[int, str | None]:
    """Status and Location of one request to `target`, after vetting where it leads."""
    try:
        addresses = resolve_addresses(
            target.host, config.nameservers, config.dns_port, config.timeout_seconds
        )
    except NoSuchHost as error:
        raise _Stop(OFFLINE, f"DNS failure: {error}") from None
    except LookupFailed as error:
        raise _Stop(UNKNOWN, str(error)) from None
    for address in addresses:
        problem = config.permits(address)
        if problem is not None:
            where = "" if is_ip_literal(target.host) else f"{target.host} resolves to "
            raise _Stop(REFUSED, where + problem)
    failure = _Stop(UNKNOWN, f"no address for {target.host}")
    for address in addresses:
        try:
            status, location = _request(target, address, "HEAD", config)
            if status in HEAD_REJECTED:
                status, location = _request(target, address, "GET", config)
            return status, location
        except ConnectionRefusedError:
            if config.proxy:
                raise _Stop(UNKNOWN, "the proxy refused the connection") from None
            failure = _Stop(OFFLINE, "connection refused")
        except TimeoutError:
            failure = _Stop(UNKNOWN, "timed out")
        except ssl.SSLError as error:
            failure = _Stop(UNKNOWN, f"TLS error: {error.reason or error}")
        except (OSError, http.client.HTTPException) as error:
            failure = _Stop(UNKNOWN, f"{type(error).__name__}: {error}")
    raise failure


def _request(
    target: _Target, address: str, method: str, config: CheckerConfig
) -> tuple[int, str | None]:
    """Send one request and read only the status line and headers, then hang up."""
    tls_hostname = target.host if target.scheme == "https" else None
    if config.proxy is None:
        connection = _PinnedConnection(address, target.port, config.timeout_seconds, tls_hostname)
    else:
        # CONNECT to the vetted address, for http as for https: a proxy given the name would
        # resolve it again. TLS and Host still name the host.
        proxy = _Proxy.parse(config.proxy)
        connection = _PinnedConnection(proxy.host, proxy.port, config.timeout_seconds, tls_hostname)
        authority = f"[{address}]" if ":" in address else address
        connection.set_tunnel(
            authority,
            target.port,
            headers={"Host": f"{authority}:{target.port}", **proxy.headers},
        )
    try:
        connection.putrequest(method, target.path, skip_host=True, skip_accept_encoding=True)
        headers = {
            "Host": target.host_header,
            "User-Agent": config.user_agent,
            "Accept": "*/*",
            "Connection": "close",
        }
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.getheader("Location")
    finally:
        connection.close()


class _HeadersOnlyResponse(http.client.HTTPResponse):
    """Reads the status line and headers through an unbuffered file: no body byte is read.

    The headers must all arrive within the socket's timeout, so a server that trickles them a
    byte at a time cannot hold a worker for long."""

    def __init__(self, sock: socket.socket, *args: Any, **kwargs: Any) -> None:
        super().__init__(sock, *args, **kwargs)
        self.fp.close()
        self.fp = _DeadlineReader(sock, time.monotonic() + (sock.gettimeout() or 10.0))  # type: ignore[assignment]


class _DeadlineReader(io.RawIOBase):
    """Unbuffered reads from a socket that fail once the deadline has passed."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self.sock, self.deadline = sock, deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("the headers took too long")
        timeout = self.sock.gettimeout()  # kept for what follows (a tunnel's TLS handshake)
        self.sock.settimeout(remaining)
        try:
            return self.sock.recv_into(buffer)
        finally:
            self.sock.settimeout(timeout)


class _PinnedConnection(http.client.HTTPConnection):
    """An HTTP(S) connection to an address given as such, so no name is looked up again."""

    response_class = _HeadersOnlyResponse

    def __init__(self, address: str, port: int, timeout: float, tls_hostname: str | None):
        super().__init__(address, port, timeout=timeout)
        self.tls_hostname = tls_hostname

    def connect(self) -> None:
        super().connect()
        if self.tls_hostname is not None:
            self.sock = _tls_context().wrap_socket(self.sock, server_hostname=self.tls_hostname)


@functools.cache
def _tls_context() -> ssl.SSLContext:
    return ssl.create_default_context()


@dataclass(frozen=True)
class _Proxy:
    host: str
    port: int
    headers: dict[str, str]

    @classmethod
    def parse(cls, proxy: str) -> _Proxy:
        parts = urlsplit(proxy)
        try:
            port = parts.port or 8080
        except ValueError:
            raise ValueError(f"the checker's proxy {proxy!r} has a bad port") from None
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"the checker's proxy must be http://host:port, not {proxy!r}")
        headers = {}
        if parts.username is not None:
            user_password = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
            token = base64.b64encode(user_password.encode()).decode("ascii")
            headers["Proxy-Authorization"] = f"Basic {token}"
        return cls(parts.hostname, port, headers)
