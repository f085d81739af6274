"""The demo's removal story, on loopback: a criminal page is traced, routed, noticed,
re-checked, taken down by its "host", and confirmed removed; the figures then show it.

The case's address uses a reserved name (like all demo data); a local HTTP server stands in
for its host: checks go to it (the demo lets the checker reach loopback:
TURNTIDE_CHECKER_ALLOW_PRIVATE=1), and the loopback address's trace is labelled as a
documentation network (AS64496) in the hotline's own country. The story runs
over three simulated days ending now, through the same services the worker uses.
"""

from __future__ import annotations

import dataclasses
import threading
from datetime import datetime, timedelta
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import User
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from turntide.cases.actions import do_assess
from turntide.cases.models import Assessment, URLCase
from turntide.reports.actions import do_receive_report
from turntide.reports.models import Report
from turntide.takedown.actions import do_start_takedown
from turntide.takedown.checker import CheckerConfig, CheckResult, check
from turntide.takedown.models import PartnerHotline, Provider
from turntide.takedown.notices import hold_until
from turntide.takedown.outbox import dispatch
from turntide.takedown.rechecks import Checker, run_due_checks
from turntide.takedown.routing import FIRST_NOTICE
from turntide.takedown.tasks import start_takedown
from turntide.takedown.traces import trace_host
from turntide.takedown.tracing import TracedHost

DEMO_REFERENCE = "TT-RM00-0001"
STORY_URL = "http://removal-story.demo.test/gallery/1.html"
DEMO_ASN = 64496  # reserved for documentation (RFC 5398)
DEMO_PARTNERS = (("NL", "nl"), ("DE", "de"), ("US", "en"), ("FR", "fr"))


def _serve_page(removed: threading.Event) -> ThreadingHTTPServer:
    """A loopback server with one harmless page, there until `removed` is set."""

    class Page(BaseHTTPRequestHandler):
        def do_HEAD(self) -> None:
            self.send_response(404 if removed.is_set() else 200)
            self.end_headers()

        def do_GET(self) -> None:
            self.do_HEAD()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _demo_trace(host: str, at: datetime) -> TracedHost:
    """The loopback address's trace, labelled as a host in the hotline's own country."""
    return dataclasses.replace(
        trace_host("127.0.0.1"),
        host=host,
        traced_at=at,
        asn=DEMO_ASN,
        as_name="Demo Hosting (loopback)",
        country=settings.TURNTIDE_HOME_COUNTRY,
        source="demo: loopback stands in for a hosting network",
    )


def _checker_on(port: int) -> Checker:
    """The real checker, sent to the loopback server in place of the story's reserved host."""
    config = CheckerConfig.from_settings()

    def check_on_loopback(url: str) -> CheckResult:
        local = urlsplit(url)._replace(netloc=f"127.0.0.1:{port}").geturl()
        return dataclasses.replace(check(local, config), url=url)

    return check_on_loopback


def _judge_criminal(case: URLCase) -> None:
    """The analyst's judgement and, when the verification rules draw it (a random sample,
    say), the senior analyst's agreeing one: either way the case ends actioned."""
    for username in ("analyst", "senior"):
        if case.status not in (URLCase.Status.NEW, URLCase.Status.VERIFYING):
            return
        judgement = Assessment(outcome="criminal", category="B", age_group="11-13", sex="girls")
        do_assess(User.objects.get(username=username), case, judgement)
        case.refresh_from_db()


def seed_directory() -> int:
    created = 0
    _provider, new = Provider.objects.get_or_create(
        asn=DEMO_ASN,
        defaults={
            "name": "Demo Hosting",
            "abuse_email": "abuse@hosting.example",
            "country": settings.TURNTIDE_HOME_COUNTRY,
            "upstream_email": "abuse@transit.example",
        },
    )
    created += new
    for country, language in DEMO_PARTNERS:
        _partner, new = PartnerHotline.objects.get_or_create(
            country=country,
            defaults={
                "name": f"Partner hotline {country} (demo)",
                "email": f"referrals@hotline-{country.lower()}.example",
                "language": language,
            },
        )
        created += new
    return created


def drop_seeded_history_starts() -> int:
    """The seeded history was judged before the demo began, so its cases start no takedown:
    only the story's case is removed here, and the demo's worker does not spend its time
    tracing reserved names. Returns how many queued starts were dropped."""
    seeded = set(
        URLCase.objects.filter(
            case_reports__reported_url__report__reference__startswith="TT-DM"
        ).values_list("pk", flat=True)
    )
    queued = DBTaskResult.objects.filter(
        task_path=start_takedown.module_path, status=TaskResultStatus.READY
    )
    dropped = [row.pk for row in queued if (row.args_kwargs["args"] or [None])[0] in seeded]
    DBTaskResult.objects.filter(pk__in=dropped).delete()
    return len(dropped)


def seed_removal_story() -> int:
    """Run the story once (idempotent); return how many top-level objects it added."""
    created = seed_directory()
    drop_seeded_history_starts()
    if Report.objects.filter(reference=DEMO_REFERENCE).exists():
        return created
    removed = threading.Event()
    server = _serve_page(removed)
    try:
        _report, urls = do_receive_report("public", [STORY_URL], reference=DEMO_REFERENCE)
        case = URLCase.objects.get(url_key=urls[0].url_key)
        _judge_criminal(case)
        noticed = timezone.now() - timedelta(days=3)
        do_start_takedown(case, noticed, tracer=partial(_demo_trace, at=noticed))
        dispatch(hold_until(FIRST_NOTICE, noticed))  # the outbox, once the hold has passed
        checker = _checker_on(server.server_address[1])
        run_due_checks(noticed + timedelta(hours=4), checker=checker)  # still online
        removed.set()  # the host takes it down
        for hours in (28, 52):  # offline twice in a row: removed at the first of them
            run_due_checks(noticed + timedelta(hours=hours), checker=checker)
    finally:
        server.shutdown()
        server.server_close()
    return created + 1
