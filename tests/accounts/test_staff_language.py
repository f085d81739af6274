"""Staff pages speak the staff member's language: the browser's, or the header's choice."""

from __future__ import annotations

import pytest
from django.test import Client

TRAIL = "/audit/"


def test_the_login_page_follows_the_browser_language(client: Client, db: None) -> None:
    page = client.get("/accounts/login/", headers={"Accept-Language": "de"})
    assert page["Content-Language"] == "de"
    assert "Benutzername" in page.content.decode()


def test_without_a_match_staff_pages_speak_the_hotline_language(client: Client, db: None) -> None:
    page = client.get("/accounts/login/", headers={"Accept-Language": "pt"})
    assert page["Content-Language"] == "en"


def test_the_header_choice_wins_over_the_browser(client: Client, manager) -> None:
    client.force_login(manager)
    chosen = client.post("/i18n/setlang/", {"language": "fr", "next": TRAIL})
    assert chosen["Location"] == TRAIL
    page = client.get(TRAIL, headers={"Accept-Language": "de"})
    assert page["Content-Language"] == "fr"


@pytest.mark.parametrize(
    ("language", "current", "offered"),
    [("fr", "Français", "Deutsch"), ("de", "Deutsch", "English")],
)
def test_the_header_offers_the_other_languages_as_buttons(
    client: Client, manager, language: str, current: str, offered: str
) -> None:
    """Each language shows as its code, named in full to screen readers and on hover."""
    client.force_login(manager)
    page = client.get(TRAIL, headers={"Accept-Language": language}).content.decode()
    assert (
        f'<strong lang="{language}" aria-current="true" title="{current}">'
        f'<span aria-hidden="true">{language.upper()}</span>'
        f'<span class="visually-hidden">{current}</span></strong>'
    ) in page
    code = offered[:2].lower()
    assert (
        f'name="language" value="{code}" lang="{code}" aria-label="{code.upper()}, {offered}" '
        f'title="{offered}">{code.upper()}</button>'
    ) in page
    assert f'<input type="hidden" name="next" value="{TRAIL}">' in page


def test_the_public_form_still_answers_its_prefix_not_the_browser(client: Client, db: None) -> None:
    page = client.get("/de/report/", headers={"Accept-Language": "fr"})
    assert page["Content-Language"] == "de"
