"""A German-speaking manager reads the staff pages in German, switches to French in the header:
headings and navigation follow, no CSP violation, axe-core clean; screenshots for a look."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.pages import DEMO_PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
# Where to leave screenshots of each page, to look at them; unset: none are taken.
SHOTS = os.environ.get("TURNTIDE_SCREENSHOTS")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]

# Each page's heading and a header link, German first (the browser's), then French (chosen).
PAGES = {
    "de": {
        "/takedown/": ("Entfernungs-Arbeitsplatz", "Entfernung"),
        "/insights/?period=2023": ("Auswertungen: ", "Auswertungen"),
    },
    "fr": {
        "/takedown/": ("Atelier des retraits", "Retrait"),
        "/insights/?period=2023": ("Statistiques : ", "Statistiques"),
    },
}


# axe needs the CSP lifted; the CSP check needs it on.
@pytest.mark.parametrize("bypass_csp", [False, True], ids=["csp", "axe"])
def test_a_manager_reads_staff_pages_in_german_then_switches_to_french(
    demo_server, browser, bypass_csp: bool
) -> None:
    from tests.browser.test_public_form import serious_accessibility_issues

    context = browser.new_context(
        viewport={"width": 1366, "height": 900}, locale="de-DE", bypass_csp=bypass_csp
    )
    page = context.new_page()
    console_errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and console_errors.append(m.text))
    page.goto(f"{demo_server}/accounts/login/")
    assert page.locator("h1").inner_text() == "Anmeldung für Mitarbeitende"
    page.get_by_label("Benutzername").fill("manager")
    page.get_by_label("Passwort").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_load_state()
    for language, pages in PAGES.items():
        if language == "fr":
            page.get_by_role("button", name="Français").click()
            page.wait_for_load_state()
        for path, (heading, link) in pages.items():
            page.goto(f"{demo_server}{path}")
            assert page.locator("h1").inner_text().startswith(heading)
            assert link in page.locator("header.site").inner_text()
            if bypass_csp:
                assert serious_accessibility_issues(page) == []
            elif SHOTS:
                name = path.strip("/").split("/")[0]
                page.screenshot(path=f"{SHOTS}/{name}-{language}.png", full_page=True)
    assert console_errors == []  # no CSP violation or script error
    context.close()


# The header's widest sets of links, as each persona has them, in the longest languages.
HEADERS = [("analyst", "/cases/"), ("manager", "/insights/?period=2023")]
LINE = """() => {
  const top = e => Math.round(e.getBoundingClientRect().top);
  const links = [...document.querySelectorAll('header.site nav.staff a')];
  return {
    linkLines: new Set(links.map(top)).size,
    languagesBesideBrand: top(document.querySelector('form.languages strong'))
      < top(links[0]),
    overflow: Math.max(...[...document.querySelectorAll('header.site *')]
      .map(e => e.getBoundingClientRect().right)) > window.innerWidth,
  };
}"""


@pytest.mark.parametrize("language", ["Français", "Deutsch"])
@pytest.mark.parametrize(("persona", "path"), HEADERS)
def test_the_staff_header_keeps_its_links_on_one_line_at_1366_and_wraps_at_320(
    demo_server, browser, persona: str, path: str, language: str
) -> None:
    from tests.browser.pages import log_in, serious_accessibility_issues

    context = browser.new_context(viewport={"width": 1366, "height": 900}, bypass_csp=True)
    page = context.new_page()
    log_in(page, demo_server, persona)
    page.get_by_role("button", name=language).click()
    page.wait_for_load_state()
    page.goto(f"{demo_server}{path}")
    wide = page.evaluate(LINE)
    assert wide == {"linkLines": 1, "languagesBesideBrand": True, "overflow": False}
    assert serious_accessibility_issues(page) == []
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/header-{persona}-{language[:2].lower()}-1366.png")
    page.set_viewport_size({"width": 320, "height": 900})
    narrow = page.evaluate(LINE)
    assert not narrow["overflow"]  # the header wraps (a wide table below it may scroll)
    assert narrow["linkLines"] > 1 or persona == "analyst"
    assert serious_accessibility_issues(page) == []
    context.close()
