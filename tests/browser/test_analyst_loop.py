"""The analysts' whole loop in Chromium, keyboard only: a public report, a grading with
"Save and next", a blind verification that disagrees, a senior's decision with the differing
fields highlighted. Every page is photographed at 1366x900 and checked with axe-core,
including the error and message states; a session that ends keeps the grading sent."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import CHROMIUM
from tests.browser.pages import DEMO_PASSWORD, serious_accessibility_issues

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]

SCREEN = {"width": 1366, "height": 900}
# Criminal, the category's key, age 7-10, girls, not self-generated.
GRADING_KEYS = ["Digit1", "CATEGORY", "Shift+Digit3", "g", "o"]


class Analyst:
    """One person at one browser, who only types; each page is photographed and checked."""

    def __init__(self, browser, base: str, shots: Path, name: str) -> None:
        # axe-core is injected into the pages, which needs their CSP lifted.
        self.context = browser.new_context(viewport=SCREEN, bypass_csp=True)
        self.page: Page = self.context.new_page()
        self.base, self.shots, self.name = base, shots, name
        self.errors: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.keys = 0

    def press(self, *keys: str) -> None:
        for key in keys:
            self.page.keyboard.press(key)
            self.keys += 1

    def looks_right(self, what: str) -> None:
        """A photograph for a person to judge, and axe-core's verdict."""
        self.page.screenshot(path=self.shots / f"{self.name}-{what}.png")
        self.page.screenshot(path=self.shots / f"{self.name}-{what}-whole.png", full_page=True)
        assert serious_accessibility_issues(self.page) == [], what

    def sign_in(self) -> Analyst:
        """Open the queue, which asks to log in first."""
        self.page.goto(f"{self.base}/cases/")
        self.log_in()
        return self

    def log_in(self) -> None:
        self.page.get_by_label("Username").focus()
        self.page.keyboard.type(self.name)
        self.press("Tab")
        self.page.keyboard.type(DEMO_PASSWORD)
        with self.page.expect_navigation():
            self.press("Enter")

    def find(self, url: str) -> None:
        """Search, then Enter: focus waits on the first case found."""
        self.page.goto(f"{self.base}/cases/?q={url}")
        expect(self.page.locator("table.queue tbody a").first).to_be_focused()
        self.press("Enter")
        expect(self.page.locator("#case-url")).to_have_text(url)

    def grade(self, category: str) -> None:
        self.press(*[category if key == "CATEGORY" else key for key in GRADING_KEYS])

    def focused(self) -> str:
        """The name of the focused field, or the id of the focused element."""
        return str(self.page.evaluate("document.activeElement.name || document.activeElement.id"))


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    return tmp_path


def report(browser, base: str, url: str) -> None:
    page = browser.new_context().new_page()
    page.goto(f"{base}/report/")
    page.get_by_label("Web addresses").focus()
    page.keyboard.type(url)
    page.get_by_role("button", name="Send report").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".reference")).to_be_visible()
    page.context.close()


def reported_and_opened(browser, base: str, shots: Path, url: str) -> Analyst:
    """The public reports `url`; the demo analyst finds its case and opens it."""
    report(browser, base, url)
    ada = Analyst(browser, base, shots, "analyst").sign_in()
    ada.find(url)
    return ada


def test_report_grade_verify_blind_and_decide_by_keyboard(
    demo_server: str, browser, shots: Path
) -> None:
    url = "http://whole-loop.example/gallery/12.html"
    ada = reported_and_opened(browser, demo_server, shots, url)
    case_page = ada.page.url
    ada.looks_right("case")
    # A criminal grading fits the screen: from Outcome to "Save and next", no scrolling.
    ada.press("Digit1")
    panel = ada.page.locator("#assessment-form").bounding_box()
    assert panel is not None
    assert 0 <= panel["y"] < panel["y"] + panel["height"] <= SCREEN["height"]
    expect(ada.page.locator("#id_category")).to_be_visible()
    ada.press("Enter")  # no category yet: the error state
    expect(ada.page).to_have_title(re.compile(r"^Error: C-"))
    assert ada.focused() == "error-summary"
    expect(ada.page.locator("#error-summary a").first).to_have_attribute("href", "#id_category_0")
    ada.looks_right("error")
    ada.grade("a")
    ada.page.screenshot(path=shots / "analyst-graded.png")
    assert ada.page.evaluate("window.scrollY") == 0
    ada.press("Enter")  # "Save and next", the default
    ada.page.wait_for_url(lambda now: now != case_page and now.endswith("#id_outcome_0"))
    expect(ada.page.locator("#announcements")).to_contain_text(
        re.compile(r"C-\S+ graded: Category A, 7-10, Girls\. It is now: Awaiting a second analyst")
    )
    assert ada.focused() == "outcome"  # where the next grading starts
    ada.looks_right("saved-and-next")

    bea = Analyst(browser, demo_server, shots, "analyst2").sign_in()
    bea.find(url)
    expect(bea.page.locator("#blind-note")).to_be_visible()
    expect(bea.page.locator("table.side-by-side")).to_have_count(0)
    bea.looks_right("verify-blind")
    bea.grade("b")  # disagrees: Category B
    bea.press("Control+Enter")
    bea.page.wait_for_url(lambda now: now != case_page)
    bea.page.goto(case_page)  # now recorded: both judgements side by side
    expect(bea.page.locator("table.side-by-side tr.differs")).to_contain_text("Category")

    sam = Analyst(browser, demo_server, shots, "senior").sign_in()
    sam.find(url)
    expect(sam.page.get_by_role("heading", name="Decide the disagreement")).to_be_visible()
    differs = sam.page.locator("table.side-by-side tr.differs")
    expect(differs).to_have_count(1)
    expect(differs).to_contain_text("differs")
    sam.looks_right("decide")
    sam.grade("b")
    sam.press("Enter")
    sam.page.wait_for_url(lambda now: now != case_page)
    sam.page.goto(case_page)
    expect(sam.page.locator("h1 small")).to_have_text("Criminal, awaiting removal")
    sam.looks_right("decided")
    assert ada.errors == bea.errors == sam.errors == []


def test_from_the_queue_a_full_grading_takes_seven_keys(
    demo_server: str, browser, shots: Path
) -> None:
    ada = Analyst(browser, demo_server, shots, "analyst").sign_in()
    ada.looks_right("queue")
    ada.keys = 0
    ada.press("n")  # Next case: it opens with focus on Outcome
    ada.page.wait_for_url(re.compile(r".*/cases/C-[^/]+/#id_outcome_0$"))
    first = ada.page.url
    code = first.split("/")[-2]
    assert ada.focused() == "outcome"
    ada.grade("a")
    ada.press("Enter")
    ada.page.wait_for_url(lambda now: now != first)
    expect(ada.page.locator("#announcements")).to_contain_text(f"{code} graded: Category A")
    assert ada.keys == 7


def test_a_grading_sent_after_the_session_ended_is_kept_across_the_login(
    demo_server: str, browser, shots: Path
) -> None:
    url = "http://session-ended.example/gallery/4.html"
    ada = reported_and_opened(browser, demo_server, shots, url)
    case_page = ada.page.url
    ada.grade("a")
    ada.context.clear_cookies(name="sessionid")  # the idle session ended meanwhile
    ada.press("Enter")
    ada.page.wait_for_url(re.compile(r".*/accounts/login/\?next="))
    ada.log_in()
    assert ada.page.url == case_page
    expect(ada.page.locator("#draft-restored")).to_be_focused()
    for name, value in [("outcome", "criminal"), ("category", "A"), ("age_group", "7-10")]:
        expect(ada.page.locator(f"input[name={name}][value='{value}']")).to_be_checked()
    ada.looks_right("restored")
    ada.press("Control+Enter")
    ada.page.wait_for_url(lambda now: now != case_page)
    expect(ada.page.locator("#announcements")).to_contain_text("graded: Category A, 7-10, Girls")
    ada.page.goto(case_page)  # once saved, the kept grading is gone
    expect(ada.page.locator("#draft-restored")).to_have_count(0)


def test_a_minute_before_the_idle_session_ends_it_asks_and_stays(
    demo_server: str, browser, shots: Path
) -> None:
    ada = Analyst(browser, demo_server, shots, "analyst")
    ada.page.clock.install()
    ada.sign_in()
    warning = ada.page.locator("#session-warning")
    expect(warning).to_be_hidden()
    ada.page.clock.fast_forward("29:01")  # the demo's idle time is 30 minutes
    expect(warning).to_be_visible()
    expect(warning.get_by_role("button", name="Stay signed in")).to_be_focused()
    ada.looks_right("session-warning")
    with ada.page.expect_response(re.compile(r".*/accounts/keep-alive/$")) as answer:
        ada.press("Enter")
    assert answer.value.status == 204
    expect(warning).to_be_hidden()
