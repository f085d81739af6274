"""The analyst workspace in a real browser: keyboard-only grading, verification, a senior's
decision, and free text that must never run as markup."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]

XSS_CORPUS = [
    "<script>window.__pwned = 1</script>",
    '<img src=x onerror="window.__pwned = 2">',
    '"><svg onload="window.__pwned = 3">',
    '<a href="javascript:window.__pwned = 4">click</a>',
    "{{ 7*7 }} {% debug %} ${7*7}",
    '</q></li><iframe srcdoc="<script>parent.__pwned=5</script>"></iframe>',
]


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("turntide-demo")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r".*/cases/$"))


def report_url(page: Page, base: str, url: str, description: str = "") -> None:
    page.goto(f"{base}/report/")
    page.get_by_label("Web addresses").fill(url)
    if description:
        page.locator("textarea[name=description]").fill(description)
    page.get_by_role("button", name="Send report").click()
    expect(page.locator(".reference")).to_be_visible()


def open_case(page: Page, base: str, url: str) -> None:
    page.goto(f"{base}/cases/?q={url}")
    page.locator("tr", has_text=url).get_by_role("link").first.click()
    expect(page.locator("#case-url")).to_have_text(url)


def grade_with_keys(page: Page, category_key: str) -> None:
    """Criminal, the given category, age 7-10, girls, not self-generated; then save."""
    page.locator("body").click(position={"x": 1, "y": 1})
    for key in ["Digit1", category_key, "Shift+Digit3", "g", "o"]:
        page.keyboard.press(key)
    expect(page.locator("input[name=outcome][value=criminal]")).to_be_checked()
    expect(page.locator("input[name=age_group][value='7-10']")).to_be_checked()
    case_page = page.url
    page.keyboard.press("Control+Enter")  # "Save and next"
    page.wait_for_url(lambda now: now != case_page)


def test_grade_verify_and_decide_a_disagreement_by_keyboard(demo_server: str, browser) -> None:
    url = "http://keyboard.example/gallery/7.html"
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    report_url(page, demo_server, url)

    log_in(page, demo_server, "analyst")
    page.keyboard.press("?")
    expect(page.locator("#shortcuts")).to_be_visible()
    page.keyboard.press("Escape")
    open_case(page, demo_server, url)
    case_page = page.url
    grade_with_keys(page, "a")  # Category A: verified by a second analyst

    context.clear_cookies()
    log_in(page, demo_server, "analyst2")
    open_case(page, demo_server, url)
    expect(page.get_by_role("heading", name=re.compile("Verify"))).to_be_visible()
    grade_with_keys(page, "b")  # disagrees: B

    context.clear_cookies()
    log_in(page, demo_server, "senior")
    open_case(page, demo_server, url)
    expect(page.get_by_role("heading", name="Decide the disagreement")).to_be_visible()
    judgements = page.locator("table.judgements tbody tr")
    expect(judgements).to_have_count(2)  # both judgements, side by side
    grade_with_keys(page, "b")

    page.goto(case_page)
    expect(page.locator("h1 small")).to_have_text("Criminal, awaiting removal")
    decisive = page.locator("table.judgements tr.decisive")
    expect(decisive).to_contain_text("Senior analyst's decision")
    expect(decisive).to_contain_text("B")
    assert errors == []
    context.close()


def test_free_text_with_markup_is_shown_as_text(demo_server: str, browser) -> None:
    url = "http://markup.example/page.html"
    context = browser.new_context()
    page = context.new_page()
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text))
    page.on("dialog", lambda d: violations.append(f"dialog: {d.message}"))
    for payload in XSS_CORPUS:
        report_url(page, demo_server, url, description=payload)
    log_in(page, demo_server, "analyst")
    open_case(page, demo_server, url)
    shown = page.locator("q.free-text").all_inner_texts()
    for payload in XSS_CORPUS:
        assert payload in shown
    assert page.evaluate("window.__pwned") is None
    assert page.locator("main iframe, main svg, main img[src=x]").count() == 0
    assert violations == []  # not even a blocked attempt: nothing reached the page as markup
    context.close()


def reported_then_analyst(browser, base: str, url: str) -> tuple[BrowserContext, Page]:
    """A fresh browser that reports `url`, then logs in as the demo analyst."""
    context = browser.new_context()
    page = context.new_page()
    report_url(page, base, url)
    log_in(page, base, "analyst")
    return context, page


def test_skip_asks_before_throwing_away_a_grading_begun(demo_server: str, browser) -> None:
    url = "http://halfway.example/gallery/3.html"
    context, page = reported_then_analyst(browser, demo_server, url)
    open_case(page, demo_server, url)
    case_page = page.url
    page.locator("body").click(position={"x": 1, "y": 1})
    page.keyboard.press("Digit1")  # the grading begins: criminal
    asked: list[str] = []

    def answer(dialog, accept: bool) -> None:
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    page.keyboard.press("s")
    expect(page.locator("input[name=outcome][value=criminal]")).to_be_checked()
    assert page.url == case_page
    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    page.get_by_role("button", name="Skip").click()
    page.wait_for_url(lambda now: now != case_page)
    assert asked == ["Skip this case? The grading you have begun will not be saved."] * 2
    context.close()


def test_single_key_shortcuts_can_be_turned_off_and_stay_off(demo_server: str, browser) -> None:
    url = "http://quiet-keys.example/gallery/5.html"
    context, page = reported_then_analyst(browser, demo_server, url)
    page.get_by_role("button", name="Keyboard shortcuts").click()
    expect(page.locator("#shortcuts")).to_be_visible()
    page.get_by_label("Single-key shortcuts").uncheck()
    page.keyboard.press("Escape")
    open_case(page, demo_server, url)  # another page: the choice is remembered
    page.locator("body").click(position={"x": 1, "y": 1})
    page.keyboard.press("Digit1")
    expect(page.locator("input[name=outcome][value=criminal]")).not_to_be_checked()
    page.keyboard.press("?")  # still there, to turn them back on
    expect(page.get_by_label("Single-key shortcuts")).not_to_be_checked()
    context.close()
