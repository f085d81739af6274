"""The public pages in every shipped language, by URL prefix or by the browser's choice."""

from __future__ import annotations

import ast
import gettext
import io
import re
import tokenize
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.utils import translation
from django.utils.translation.template import templatize

import turntide
from turntide.reports.forms import PublicReportForm
from turntide.reports.models import HotlineGuidance

pytestmark = pytest.mark.django_db

PACKAGE = Path(turntide.__file__).parent
TEMPLATES = PACKAGE / "templates"
PUBLIC_TEMPLATES = [
    *(TEMPLATES / name for name in ("base.html", "403.html", "404.html", "429.html")),
    TEMPLATES / "csrf_failure.html",
    *sorted((TEMPLATES / "reports").rglob("*.*")),
]
PUBLIC_PYTHON = [
    PACKAGE / "reports" / name for name in ("forms.py", "models/guidance.py", "models/report.py")
]
GETTEXT_CALLS = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext"}
TRANSLATIONS = [code for code, _name in settings.LANGUAGES if code != "en"]


TITLES = {
    "en": "Report child sexual abuse imagery",
    "fr": "Signaler des images d\u2019abus sexuels sur des enfants",
    "de": "Darstellungen sexuellen Kindesmissbrauchs melden",
}


@pytest.mark.parametrize(
    ("path", "accept", "language"),
    [
        ("/report/", "", "en"),
        ("/report/", "de-DE,de;q=0.9,en;q=0.5", "de"),
        ("/report/", "fr-CH, fr;q=0.9", "fr"),
        ("/fr/report/", "de", "fr"),
        ("/en/report/", "fr", "en"),
    ],
)
def test_the_language_comes_from_the_prefix_else_the_browser(
    rosa: Client, path: str, accept: str, language: str
) -> None:
    response = rosa.get(path, headers={"accept-language": accept} if accept else {})
    assert response.status_code == 200
    assert response["Content-Language"] == language
    assert f"<title>{TITLES[language]} · " in response.content.decode()
    assert set(response.cookies) <= {"csrftoken"}


def test_the_language_switch_is_plain_links_to_each_language(rosa: Client) -> None:
    page = rosa.get("/de/report/").content.decode()
    assert '<nav class="languages" aria-label="Sprache">' in page
    assert '<a href="/en/report/" lang="en" hreflang="en">English</a>' in page
    assert '<a href="/fr/report/" lang="fr" hreflang="fr">Français</a>' in page
    assert 'href="/de/report/" lang="de" hreflang="de" aria-current="page">Deutsch</a>' in page


def test_a_report_in_french_is_confirmed_in_french(rosa: Client) -> None:
    rosa.post("/fr/report/", {"urls": "http://site.example/1"})
    page = rosa.post("/fr/report/", {"urls": "http://site.example/1"}).content.decode()
    assert '<html lang="fr" dir="ltr">' in page
    assert "déjà signalée, merci — inutile de la signaler à nouveau." in page
    assert '<a href="/fr/report/">Signaler une autre adresse web</a>' in page


def test_an_invalid_line_is_explained_in_german(rosa: Client) -> None:
    page = rosa.post("/de/report/", {"urls": "http://ok.example/\nftp://x.example/"}).content
    assert "Zeile 2 (ftp://x.example/): „ftp:“ ist keine Webadresse" in page.decode()


def test_pages_are_ready_for_right_to_left_scripts() -> None:
    request = RequestFactory().get("/report/")
    guidance = HotlineGuidance.current()
    with translation.override("ar"):
        page = render_to_string(
            "reports/form.html",
            {"form": PublicReportForm(guidance=guidance), "guidance": guidance},
            request=request,
        )
    assert '<html lang="ar" dir="rtl">' in page
    css = (PACKAGE / "static/turntide/turntide.css").read_text()
    properties = set(re.findall(r"[{;]\s*([a-z-]+)\s*:", css))
    physical = {p for p in properties if re.search(r"left|right|top|bottom|^(width|height)$", p)}
    assert physical == set()
    assert not re.search(r"(text-align|float)\s*:\s*(left|right)", css)


def msgids_in_template(path: Path) -> Iterator[str]:
    """What makemessages would extract: templatize, then the gettext calls' first strings."""
    tokens = list(tokenize.generate_tokens(io.StringIO(templatize(path.read_text())).readline))
    for call, paren, argument in zip(tokens, tokens[1:], tokens[2:], strict=False):
        if call.string in GETTEXT_CALLS and paren.string == "(":
            yield ast.literal_eval(argument.string)


def msgids_in_python(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text())):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in GETTEXT_CALLS
            and isinstance(node.args[0], ast.Constant)
        ):
            yield node.args[0].value


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_every_public_string_is_translated_in_the_compiled_catalogue(language: str) -> None:
    mo = PACKAGE / "locale" / language / "LC_MESSAGES" / "django.mo"
    with mo.open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)._catalog  # type: ignore[attr-defined]
    msgids = {m for path in PUBLIC_TEMPLATES for m in msgids_in_template(path)}
    msgids |= {m for path in PUBLIC_PYTHON for m in msgids_in_python(path)}
    assert len(msgids) > 80
    missing = sorted(m for m in msgids if m not in catalogue and (m, 0) not in catalogue)
    assert missing == []
