"""Loopback stand-ins for the internet: a web site whose pages disappear on cue, a DNS
server, an RDAP service and a forward proxy. Each listens on port 0 and logs what it saw,
so tests can prove what the checker did (and did not) send or read. They serve only
harmless bytes; no test reaches beyond the machine.
"""

from __future__ import annotations

import json
import socket
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import dns.flags
import dns.message
import dns.rcode
import dns.rdatatype
import dns.rrset

HARMLESS_BODY = b"synthetic page: nothing to see here\n" * 4096  # about 150 kB


@dataclass
class Page:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    gone_at: datetime | None = None  # from this (site clock) time on the page answers 404
    head_allowed: bool = True  # False: HEAD answers 405, as some servers do


@dataclass
class Hit:
    method: str
    path: str
    host: str
    user_agent: str
    client_closed_before_body: bool | None = None  # for GET: did it hang up after the headers?
    body_bytes_sent: int = 0
    answered: threading.Event = field(default_factory=threading.Event)


class LoopbackSite:
    """A web site on 127.0.0.x whose pages follow a script against a clock the test sets."""

    def __init__(self, address: str = "127.0.0.1") -> None:
        self.pages: dict[str, Page] = {}
        self.hits: list[Hit] = []
        self.now = datetime(2026, 1, 1, tzinfo=UTC)
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_HEAD(self) -> None:
                site._answer(self, "HEAD")

            def do_GET(self) -> None:
                site._answer(self, "GET")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer((address, 0), Handler)
        self.server.daemon_threads = True
        self.address = address
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)

    def url(self, path: str, host: str | None = None) -> str:
        return f"http://{host or self.address}:{self.port}{path}"

    def _answer(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        hit = Hit(
            method, handler.path, handler.headers["Host"] or "", handler.headers["User-Agent"] or ""
        )
        self.hits.append(hit)
        page = self.pages.get(handler.path)
        if page is None or (page.gone_at is not None and self.now >= page.gone_at):
            status, headers = 404, {}
        elif method == "HEAD" and not page.head_allowed:
            status, headers = 405, {"Allow": "GET"}
        else:
            status, headers = page.status, page.headers
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(HARMLESS_BODY)))
        handler.send_header("Connection", "close")
        handler.end_headers()
        handler.wfile.flush()
        handler.close_connection = True
        if method == "GET":
            hit.client_closed_before_body = _peer_hangs_up(handler.connection)
            if not hit.client_closed_before_body:
                handler.wfile.write(HARMLESS_BODY)
                hit.body_bytes_sent = len(HARMLESS_BODY)
        hit.answered.set()

    def finished_hits(self, timeout: float = 10.0) -> list[Hit]:
        """The requests so far, once the server has finished answering each of them."""
        for hit in self.hits:
            hit.answered.wait(timeout)
        return self.hits

    def __enter__(self) -> LoopbackSite:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def _peer_hangs_up(connection: socket.socket, wait_seconds: float = 3.0) -> bool:
    """True when the client closes the connection before any body is sent."""
    connection.settimeout(wait_seconds)
    try:
        return connection.recv(1) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


class DNSStub:
    """A UDP name server on 127.0.0.1 answering from `records` with the CNAME chain followed.

    `records[(name, type)]` is a list of values; `answers_then` lets a name change its
    addresses after its first answer (DNS rebinding). Unknown names get NXDOMAIN.
    """

    def __init__(self) -> None:
        self.records: dict[tuple[str, str], list[str]] = {}
        self.later: dict[tuple[str, str], list[str]] = {}
        self.queries: list[tuple[str, str]] = []
        stub = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                data, sock = self.request
                sock.sendto(stub.respond(data), self.client_address)

        self.server = socketserver.ThreadingUDPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)

    def add(self, name: str, record_type: str, *values: str) -> None:
        self.records.setdefault((name.lower(), record_type), []).extend(values)

    def answers_then(self, name: str, record_type: str, *values: str) -> None:
        """After the next answer for (name, type), answer these values instead."""
        self.later[(name.lower(), record_type)] = list(values)

    def _known(self, name: str) -> bool:
        return any(known == name for known, _ in self.records)

    def respond(self, wire: bytes) -> bytes:
        query = dns.message.from_wire(wire)
        response = dns.message.make_response(query)
        response.flags |= dns.flags.RA
        question = query.question[0]
        name = question.name.to_text().rstrip(".").lower()
        record_type = dns.rdatatype.to_text(question.rdtype)
        self.queries.append((name, record_type))
        if not self._known(name):
            response.set_rcode(dns.rcode.NXDOMAIN)
            return response.to_wire()
        for _ in range(10):
            cname = self.records.get((name, "CNAME"))
            if not cname:
                break
            response.answer.append(dns.rrset.from_text(f"{name}.", 60, "IN", "CNAME", cname[0]))
            name = cname[0].rstrip(".").lower()
        values = self.records.get((name, record_type), [])
        if values:
            response.answer.append(dns.rrset.from_text(f"{name}.", 60, "IN", record_type, *values))
        if (name, record_type) in self.later:
            self.records[(name, record_type)] = self.later.pop((name, record_type))
        return response.to_wire()

    def __enter__(self) -> DNSStub:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def json_service(documents: dict[str, tuple[int, Any]]) -> Iterator[tuple[str, list[str]]]:
    """An HTTP service answering GET path -> (status, JSON); yields (base URL, paths asked)."""
    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            status, document = documents.get(self.path, (404, {"errorCode": 404}))
            body = document if isinstance(document, bytes) else json.dumps(document).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/rdap+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", asked
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def recording_proxy() -> Iterator[tuple[int, list[dict[str, str]]]]:
    """A forward proxy that records each request's line and headers and answers 200 itself
    (for CONNECT it answers 502, so no tunnel is ever opened)."""
    seen: list[dict[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def _record(self) -> None:
            seen.append({"line": self.requestline, **{k: v for k, v in self.headers.items()}})

        def do_HEAD(self) -> None:
            self._record()
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_CONNECT(self) -> None:
            self._record()
            self.send_response(502)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield server.server_address[1], seen
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def tunnelling_proxy() -> Iterator[tuple[int, list[str]]]:
    """A forward proxy that opens CONNECT tunnels to loopback only; yields (port, targets)."""
    targets: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_CONNECT(self) -> None:
            targets.append(self.path)
            host, _, port = self.path.rpartition(":")
            if host != "127.0.0.1":
                self.send_error(403)
                return
            with socket.create_connection((host, int(port)), timeout=5) as upstream:
                self.send_response(200, "Connection established")
                self.end_headers()
                self.wfile.flush()
                pump = threading.Thread(target=_pipe, args=(upstream, self.connection), daemon=True)
                pump.start()
                _pipe(self.connection, upstream)
                pump.join(timeout=5)
            self.close_connection = True

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield server.server_address[1], targets
    finally:
        server.shutdown()
        server.server_close()


def _pipe(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass
    finally:
        with suppress(OSError):
            sink.shutdown(socket.SHUT_WR)
