"""A stand-in ICCAM API v3 on loopback, as the design note interop/ICCAM-v3.md describes it:
bearer-token login and refresh, reports and content items, the no-reference queue, claims,
actions and lookups. It logs every request, so tests can prove what was sent and how often,
and it can be told to misbehave: expire tokens, drop an answer after doing the work, refuse
lookups. Only synthetic URLs under example domains ever pass through it.
"""

from __future__ import annotations

import itertools
import json
import secrets
import threading
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

USERNAME, PASSWORD = "hotline-gb", "stand-in password"
LOOKUPS: dict[str, list[dict[str, Any]]] = {
    "classifications": [
        {"id": 1, "name": "Baseline CSAM"},
        {"id": 2, "name": "National CSAM"},
        {"id": 4, "name": "Ignore"},
    ],
    "age-categories": [
        {"id": 1, "name": "Not categorised"},
        {"id": 2, "name": "Infant"},
        {"id": 3, "name": "Pre-pubescent"},
        {"id": 4, "name": "Pubescent"},
    ],
    "gender-categories": [
        {"id": 1, "name": "Not Determined"},
        {"id": 2, "name": "Female"},
        {"id": 3, "name": "Male"},
        {"id": 4, "name": "Both"},
    ],
    "commercialities": [
        {"id": 1, "name": "Not Determined"},
        {"id": 2, "name": "Commercial"},
        {"id": 3, "name": "Non-Commercial"},
    ],
    "payment-methods": [{"id": 1, "name": "Not Determined"}, {"id": 13, "name": "Bitcoin"}],
    # Renamed, and "Not Applicable" (24) withdrawn, since the seed.
    "site-types": [{"id": 2, "name": "Website (any)"}, {"id": 6, "name": "Forum"}],
    "action-types": [
        {"type": 1, "name": "ReportedToLEA"},
        {"type": 3, "name": "Removed"},
        {"type": 4, "name": "Unavailable"},
        {"type": 6, "name": "NotIllegal"},
    ],
}


@dataclass
class Content:
    content_id: int
    report_id: int
    url: str
    assigned_country: str
    assigned_at: str
    hosting_country: str = ""
    memo: str = ""
    assessments: list[dict[str, Any]] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)
    reference: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "contentId": self.content_id,
            "reportId": self.report_id,
            "assignedCountryCode": self.assigned_country,
            "countryAssignmentDate": self.assigned_at,
            "memo": self.memo,
            "url": {
                "urlString": self.url,
                "hostingCountryCode": self.hosting_country,
                "isSourceUrl": True,
            },
            "assessments": self.assessments,
            "actions": self.actions,
        }


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    body: Any
    token: str


class StandInICCAM:
    """The service, its data and its log; `url` is the base to configure."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.reports: dict[int, dict[str, Any]] = {}
        self.contents: dict[int, Content] = {}
        self.tokens: set[str] = set()
        self.refresh_tokens: set[str] = set()
        self.ids = itertools.count(1001)
        # Misbehaviour on cue:
        self.expire_tokens_after_calls: int | None = None  # rest calls, then every token dies
        # Logins accepted before the password "changes"; at 0, refreshes are refused too.
        self.logins_left: int | None = None
        self.drop_answer: set[tuple[str, str]] = set()  # (METHOD, path prefix): work, no answer
        self.lookups_down = False
        self.forced: dict[tuple[str, str], int] = {}  # (METHOD, path prefix): this status, no work
        self.lock = threading.Lock()
        service = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                service.handle(self, "GET")

            def do_POST(self) -> None:
                service.handle(self, "POST")

            def do_PUT(self) -> None:
                service.handle(self, "PUT")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)

    def start(self) -> StandInICCAM:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # What tests look at ----------------------------------------------------------------------

    def writes(self, method: str, prefix: str) -> list[Request]:
        return [r for r in self.requests if r.method == method and r.path.startswith(prefix)]

    def add_content(self, url: str, country: str, assigned_at: str, **details: Any) -> Content:
        """An item another hotline inserted, assigned by ICCAM to `country`."""
        content = Content(next(self.ids), next(self.ids), url, country, assigned_at, **details)
        self.contents[content.content_id] = content
        return content

    # The service -----------------------------------------------------------------------------

    def handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(handler.path)
        path = parts.path.removeprefix("/api/")
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        body = json.loads(raw) if raw else None
        token = (handler.headers.get("Authorization") or "").removeprefix("Bearer ")
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        with self.lock:
            self.requests.append(Request(method, path, query, body, token))
            status, answer = self.route(method, path, query, body, token)
            dropped = next(
                ((m, p) for m, p in self.drop_answer if m == method and path.startswith(p)), None
            )
            self.drop_answer.discard(dropped)  # type: ignore[arg-type]
        if dropped:  # the work is done, the answer never leaves: as if the line broke
            handler.close_connection = True
            return
        data = json.dumps(answer).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def route(
        self, method: str, path: str, query: dict[str, str], body: Any, token: str
    ) -> tuple[int, Any]:
        if path == "Authentication" and method == "POST":
            if body != {"username": USERNAME, "password": PASSWORD} or self.logins_left == 0:
                return 401, {"errors": ["invalid username or password"]}
            if self.logins_left is not None:
                self.logins_left -= 1
            return 200, self.new_token()
        if path == "Authentication/refresh" and method == "POST":
            refresh = (body or {}).get("refreshToken")
            if refresh not in self.refresh_tokens or self.logins_left == 0:
                return 401, {"errors": ["invalid refresh token"]}
            return 200, self.new_token()
        if self.expire_tokens_after_calls == 0:
            self.tokens.clear()
            self.expire_tokens_after_calls = None
        if token not in self.tokens:
            return 401, {"errors": ["token expired"]}
        if self.expire_tokens_after_calls is not None:
            self.expire_tokens_after_calls -= 1
        for (forced_method, prefix), status in self.forced.items():
            if forced_method == method and path.startswith(prefix):
                return status, {"errors": [f"the stand-in answers {status}"]}
        return self.rest(method, path.removeprefix("rest/"), query, body)

    def new_token(self) -> dict[str, Any]:
        token, refresh = secrets.token_hex(16), secrets.token_hex(16)
        self.tokens.add(token)
        self.refresh_tokens.add(refresh)
        return {"bearerToken": token, "refreshToken": refresh, "bearerTokenExpiresIn": 1800}

    def rest(self, method: str, path: str, query: dict[str, str], body: Any) -> tuple[int, Any]:
        lower = path.lower()
        if method == "GET" and lower in LOOKUPS:
            return (503, None) if self.lookups_down else (200, LOOKUPS[lower])
        if method == "POST" and lower == "reports":
            return self.insert(body)
        segments = path.split("/")
        if method == "GET" and lower.startswith("reports/"):
            report = self.reports.get(int(segments[1]))
            return (200, report) if report else (404, None)
        if lower == "content/no-reference" and method == "GET":
            return 200, self.no_reference(query)
        if not lower.startswith("content/") or not segments[1].isdigit():
            return 404, {"errors": [f"no route {method} {path}"]}
        content = self.contents.get(int(segments[1]))
        if content is None:
            return 400, {"errors": ["unknown content"]}
        if method == "GET" and len(segments) == 2:
            return 200, content.as_json()
        if method == "PUT" and segments[2:] == ["hotline-reference"]:
            content.reference = query["reference"]
            return 200, None
        if method == "POST" and segments[2:] == ["actions"]:
            content.actions.append(body)
            return 200, None
        return 404, {"errors": [f"no route {method} {path}"]}

    def insert(self, body: dict[str, Any]) -> tuple[int, Any]:
        references = {r["hotlineReference"] for r in self.reports.values()}
        if body.get("hotlineReference") in references:
            return 400, {"errors": ["hotlineReference must be unique"]}
        report_id = next(self.ids)
        contents = []
        for url in body["urls"]:
            content = Content(
                next(self.ids),
                report_id,
                url["urlString"],
                url["hostingCountryCode"],
                body["hotlineReceivedDate"],
                hosting_country=url["hostingCountryCode"],
                assessments=[url["assessment"]],
                reference=url["hotlineReference"],
            )
            self.contents[content.content_id] = content
            contents.append({"contentId": content.content_id, "urlString": content.url})
        self.reports[report_id] = {**body, "reportContents": contents}
        return 200, report_id

    def no_reference(self, query: dict[str, str]) -> list[dict[str, Any]]:
        start = query.get("countryAssignmentStartDate")
        waiting = sorted(
            (c for c in self.contents.values() if not c.reference),
            key=lambda c: (c.assigned_at, c.content_id),
        )
        if start:
            since = datetime.fromisoformat(start)
            waiting = [c for c in waiting if datetime.fromisoformat(c.assigned_at) >= since]
        return [
            {"reportId": c.report_id, "contentId": c.content_id}
            for c in waiting[: int(query.get("maxResults", 200))]
        ]
