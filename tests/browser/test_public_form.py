"""A new reporter uses the public form in Chromium: JavaScript off and on, every language."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

# One demo server and one Chromium for this module, as the walking skeleton starts them.
from tests.browser.conftest import CHROMIUM
from tests.browser.pages import serious_accessibility_issues

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]

WORDS = {
    "en": {
        "urls": "Web addresses (one per line)",
        "danger": "A child may be in immediate danger",
        "send": "Send report",
        "line": "Line 2",
        "new": "received, thank you.",
    },
    "fr": {
        "urls": "Adresses web (une par ligne)",
        "danger": "Un enfant est peut-être en danger immédiat",
        "send": "Envoyer le signalement",
        "line": "Ligne 2",
        "new": "reçue, merci.",
    },
    "de": {
        "urls": "Webadressen (eine pro Zeile)",
        "danger": "Ein Kind ist möglicherweise in unmittelbarer Gefahr",
        "send": "Meldung senden",
        "line": "Zeile 2",
        "new": "eingegangen, danke.",
    },
}


@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
@pytest.mark.parametrize("language", ["en", "fr", "de"])
def test_a_new_reporter_corrects_a_mistake_and_gets_a_reference(
    demo_server: str,
    browser,
    language: str,
    javascript: bool,
) -> None:
    words = WORDS[language]
    # With JavaScript on, axe-core is injected, which needs the page's CSP lifted.
    context = browser.new_context(
        java_script_enabled=javascript, locale=language, bypass_csp=javascript
    )
    page = context.new_page()
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(request.url.split("/")[2]))
    page.goto(f"{demo_server}/report/")
    assert page.locator("html").get_attribute("lang") == language
    if javascript:
        assert serious_accessibility_issues(page) == []

    good = f"http://new-reporter.example/{language}/{javascript}"
    page.get_by_label(words["urls"]).fill(f"{good}\nftp://files.example/{language}")
    page.get_by_label(words["danger"]).check()
    page.get_by_role("button", name=words["send"]).click()
    urls = page.get_by_label(words["urls"])
    expect(urls).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_urls_error")).to_contain_text(words["line"])
    expect(urls).to_have_value(f"{good}\nftp://files.example/{language}")
    expect(page.get_by_label(words["danger"])).to_be_checked()
    if javascript:
        assert serious_accessibility_issues(page) == []

    urls.fill(good)
    page.get_by_role("button", name=words["send"]).click()
    expect(page.locator(".reference")).to_have_text(re.compile(r"^TT-[0-9A-Z]{4}-[0-9A-Z]{4}$"))
    expect(page.locator(".results")).to_contain_text(words["new"])
    expect(page.locator(".urgent a[href^='tel:']")).to_be_visible()
    if javascript:
        assert serious_accessibility_issues(page) == []
    assert hosts == {demo_server.split("/")[2]}
    assert [cookie["name"] for cookie in context.cookies()] == ["csrftoken"]
    context.close()


def test_the_language_switch_works_without_javascript(demo_server: str, browser) -> None:
    context = browser.new_context(java_script_enabled=False, locale="en")
    page = context.new_page()
    page.goto(f"{demo_server}/report/")
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Deutsch").click()
    assert page.url == f"{demo_server}/de/report/"
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Darstellungen sexuellen Kindesmissbrauchs melden"
    )
    expect(page.get_by_role("link", name="Français")).to_have_attribute("lang", "fr")
    context.close()


def test_a_keyboard_only_reporter_can_send_an_urgent_report(demo_server: str, browser) -> None:
    context = browser.new_context(locale="en")
    page = context.new_page()
    page.goto(f"{demo_server}/report/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    urls = page.get_by_label(WORDS["en"]["urls"])
    for _ in range(15):
        page.keyboard.press("Tab")
        if urls.evaluate("element => element === document.activeElement"):
            break
    expect(urls).to_be_focused()
    page.keyboard.type("http://keyboard.example/only")
    page.keyboard.press("Tab")
    expect(page.get_by_label(WORDS["en"]["danger"])).to_be_focused()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Send report").focus()
    page.keyboard.press("Enter")
    heading = page.get_by_role("heading", name="You told us a child may be in immediate danger")
    expect(heading).to_be_visible()
    expect(page.locator(".reference")).to_be_visible()
    context.close()
