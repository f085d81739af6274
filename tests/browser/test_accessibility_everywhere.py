"""Every page each demo role can reach, found by following its links, passes axe-core.

A crawl rather than a list of routes: it finds what people find, including pages nobody
remembered to list. One page per route (one case page, one admin change form per model; sorted,
filtered and paged views of a list are the same page), and the admin's history and delete pages,
drawn by one template for every model, once each: so the crawl stays small while every kind of
page is checked.
"""

from __future__ import annotations

from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from django.urls import Resolver404, resolve

from tests.browser.conftest import CHROMIUM
from tests.browser.pages import accessibility_violations, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]

# About twice the kinds of page the demo's busiest role (admin) reaches.
MOST_PAGES = 150
# Links whose GET is not a page to check: files to download, machine answers.
NOT_PAGES = ("/api/", ".csv", ".pdf", ".json", "/download", "/export")


def page_kind(url: str) -> str | None:
    """What makes two URLs the same kind of page (None: not a page of Turntide's)."""
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    shared = match.url_name.rpartition("_")[2] if match.namespace == "admin" else ""
    return shared if shared in {"history", "delete"} else match.route


def crawl(page, base: str, *starts: str) -> dict[str, list[str]]:
    """Visit every kind of page linked from `starts`; returns each page's axe violations."""
    found: dict[str, list[str]] = {}
    seen: set[str] = set()
    queue = deque(starts)
    while queue and len(found) < MOST_PAGES:
        url = queue.popleft()
        kind = page_kind(url)
        if kind is None or kind in seen or any(part in url for part in NOT_PAGES):
            continue
        seen.add(kind)
        response = page.goto(base + url)
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        found[url] = accessibility_violations(page)
        hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        for href in hrefs:
            link, _ = urldefrag(href)
            if link.startswith(base + "/"):
                queue.append(link.removeprefix(base))
    return found


@pytest.mark.parametrize(
    "role", [None, "analyst", "senior", "manager", "researcher", "member", "admin"]
)
def test_every_page_a_role_reaches_passes_axe(demo_server: str, browser, role: str | None) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, bypass_csp=True)
    page = context.new_page()
    if role:
        log_in(page, demo_server, role)
    starts = [urlsplit(page.url).path] if role else ["/report/", "/accounts/login/"]
    found = crawl(page, demo_server, *starts)
    context.close()
    assert len(found) >= len(starts)
    assert {url: rules for url, rules in found.items() if rules} == {}


@pytest.mark.parametrize(
    ("role", "path"),
    [(None, "/report/"), ("manager", "/cases/welfare/"), ("admin", "/admin/auth/user/")],
)
def test_the_header_wraps_at_320_px(demo_server: str, browser, role: str | None, path: str) -> None:
    """WCAG 1.4.10: at 320 CSS px (a 1280 px window at 400 % zoom) nothing scrolls sideways."""
    context = browser.new_context(viewport={"width": 320, "height": 900})
    page = context.new_page()
    if role:
        log_in(page, demo_server, role)
    page.goto(demo_server + path)
    off_screen = page.eval_on_selector_all(
        "header a, header button",
        "links => links.filter(l => l.getBoundingClientRect().right > 320).map(l => l.innerText)",
    )
    context.close()
    assert off_screen == []
