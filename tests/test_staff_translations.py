"""Staff pages in French and German: every staff string in the catalogues, which stay sound."""

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
from django.test import Client
from django.utils.translation.template import templatize

import turntide
from tests.reports.test_languages import GETTEXT_CALLS, msgids_in_python

PACKAGE = Path(turntide.__file__).parent
TEMPLATES = PACKAGE / "templates"
TRANSLATIONS = [code for code, _name in settings.LANGUAGES if code != "en"]
# Each staff area: its templates (files or folders) and its Python package (views, forms,
# actions, choices).
STAFF_AREAS = {
    "audit": (["audit"], "audit"),
    "accounts": (["accounts", "staff_base.html", "_staff_languages.html"], "accounts"),
    "takedown": (["takedown"], "takedown"),
    "exchange": (["exchange"], "exchange"),
    "lists": (["lists"], "lists"),
    "members": (["members"], "members"),
    "insights": (["insights"], "insights"),
    "cases": (["cases", "403.html", "404.html", "_error_summary.html"], "cases"),
    "hashes": ([], "hashes"),
}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


def catalogue(language: str) -> dict[object, str]:
    with (PACKAGE / "locale" / language / "LC_MESSAGES" / "django.mo").open("rb") as compiled:
        return gettext.GNUTranslations(compiled)._catalog  # type: ignore[attr-defined,no-any-return]


def msgids_in_template(path: Path) -> Iterator[str]:
    """What makemessages extracts: templatize, then the gettext calls' first strings.

    Lines lose their indentation first: the tokenizer reads templatize's output as Python, and
    a template's indentation need not nest the way Python's must.
    """
    source = "\n".join(line.lstrip() for line in templatize(path.read_text()).splitlines())
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    for call, paren, argument, comma, second in zip(
        tokens, tokens[1:], tokens[2:], tokens[3:], tokens[4:], strict=False
    ):
        if call.string == "pgettext" and paren.string == "(" and comma.string == ",":
            # A message with a context is catalogued as "context\x04message".
            yield f"{ast.literal_eval(argument.string)}\x04{ast.literal_eval(second.string)}"
        elif call.string in GETTEXT_CALLS and paren.string == "(":
            yield ast.literal_eval(argument.string)


def staff_msgids(area: str) -> set[str]:
    templates, package = STAFF_AREAS[area]
    paths = [p for name in templates for p in [TEMPLATES / name, *(TEMPLATES / name).rglob("*.*")]]
    paths += [p for p in (PACKAGE / package).rglob("*.py") if "migrations" not in p.parts]
    msgids: set[str] = set()
    for path in paths:
        # What makemessages reads: templates (.html, .txt) and Python.
        if path.suffix in {".html", ".txt", ".py"}:
            read = msgids_in_python if path.suffix == ".py" else msgids_in_template
            msgids |= set(read(path))
    return msgids


@pytest.mark.parametrize("language", TRANSLATIONS)
@pytest.mark.parametrize("area", STAFF_AREAS)
def test_every_staff_string_is_translated_in_the_compiled_catalogue(
    area: str, language: str
) -> None:
    compiled = catalogue(language)
    msgids = staff_msgids(area)
    assert msgids
    assert sorted(m for m in msgids if m not in compiled and (m, 0) not in compiled) == []


def test_gettext_is_imported_only_under_names_makemessages_extracts() -> None:
    """A string marked through another alias (`gettext_lazy as _lazy`) is never catalogued,
    and the checks above would not see it either."""
    aliases = {
        f"{path.relative_to(PACKAGE)}: {alias.asname}"
        for path in PACKAGE.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
        for alias in node.names
        if alias.asname and alias.asname not in GETTEXT_CALLS
    }
    assert aliases == set()


def po_entries(language: str) -> list[dict[str, object]]:
    """The .po file's entries: flags, msgid (and plural) and every msgstr, unquoted."""
    text = (PACKAGE / "locale" / language / "LC_MESSAGES" / "django.po").read_text()
    entries = []
    for block in text.strip().split("\n\n")[1:]:
        entry: dict[str, object] = {"flags": "", "msgstr": []}
        key = ""
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] = line
            elif line.startswith(("msgctxt", "msgid", "msgstr")):
                key, _space, quoted = line.partition(" ")
                value = ast.literal_eval(quoted)  # a C string literal reads as Python's
                if key.startswith("msgstr"):
                    entry["msgstr"].append(value)  # type: ignore[attr-defined]
                else:
                    entry[key] = value
            elif line.startswith('"'):
                continuation = ast.literal_eval(line)
                if key.startswith("msgstr"):
                    entry["msgstr"][-1] += continuation  # type: ignore[index]
                else:
                    entry[key] = str(entry[key]) + continuation
        entries.append(entry)
    return entries


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_translations_are_complete_and_keep_every_placeholder(language: str) -> None:
    compiled = catalogue(language)
    for entry in po_entries(language):
        msgid = str(entry["msgid"])
        context = f"{entry['msgctxt']}\x04" if "msgctxt" in entry else ""
        singular = set(PLACEHOLDER.findall(msgid))
        plural = set(PLACEHOLDER.findall(str(entry.get("msgid_plural", msgid))))
        assert "fuzzy" not in str(entry["flags"]), msgid
        for form, translation in enumerate(entry["msgstr"]):  # type: ignore[arg-type]
            assert translation.strip(), msgid
            found = set(PLACEHOLDER.findall(translation))
            assert found == plural or (form == 0 and found == singular), msgid
            key = (context + msgid, form) if "msgid_plural" in entry else context + msgid
            assert compiled.get(key) == translation, f"{msgid}: .mo older than .po"


# Each staff page's heading and its header link, as a French and a German browser see them.
PAGES = {
    "fr": [
        ("/audit/", "<h1>Journal d\u2019audit</h1>", ">Journal d\u2019audit</a>"),
        ("/takedown/", "<h1>Atelier des retraits <small>(0 cas en attente", ">Retrait</a>"),
        ("/insights/", "<h1>Statistiques : ", ">Statistiques</a>"),
    ],
    "de": [
        ("/audit/", "<h1>Audit-Protokoll</h1>", ">Audit-Protokoll</a>"),
        ("/takedown/", "<h1>Entfernungs-Arbeitsplatz <small>(0 Fälle warten", ">Entfernung</a>"),
        ("/insights/", "<h1>Auswertungen: ", ">Auswertungen</a>"),
    ],
}


@pytest.mark.parametrize(
    ("language", "path", "heading", "link"),
    [(language, *page) for language, pages in PAGES.items() for page in pages],
)
def test_staff_pages_render_in_the_browser_language(
    client: Client, manager, language: str, path: str, heading: str, link: str
) -> None:
    client.force_login(manager)
    page = client.get(path, headers={"Accept-Language": language})
    assert page.status_code == 200
    assert heading in page.content.decode()
    assert link in page.content.decode()


@pytest.mark.parametrize(
    ("language", "heading", "button"),
    [
        ("fr", "<h1>Connexion du personnel</h1>", ">Se connecter</button>"),
        ("de", "<h1>Anmeldung für Mitarbeitende</h1>", ">Anmelden</button>"),
    ],
)
def test_the_login_page_renders_in_the_browser_language(
    client: Client, db: None, language: str, heading: str, button: str
) -> None:
    page = client.get("/accounts/login/", headers={"Accept-Language": language}).content.decode()
    assert heading in page
    assert button in page


@pytest.mark.parametrize(
    ("language", "heading", "link"),
    [
        ("fr", '<h2 id="services">Vos services</h2>', ">Jetons</a>"),
        ("de", '<h2 id="services">Ihre Dienste</h2>', ">Tokens</a>"),
    ],
)
def test_the_member_portal_renders_in_the_browser_language(
    client: Client, make_staff, language: str, heading: str, link: str
) -> None:
    from turntide.members.actions import do_create_organisation
    from turntide.members.models import Membership

    organisation = do_create_organisation("system", "Example ISP", ["url-list"], kind="isp")
    member = make_staff("mia")
    Membership.objects.create(user=member, organisation=organisation)
    client.force_login(member)
    page = client.get("/members/", headers={"Accept-Language": language}).content.decode()
    assert heading in page
    assert link in page


def admin_model_names(client: Client, language: str) -> list[str]:
    index = client.get("/admin/", headers={"Accept-Language": language}).content.decode()
    return re.findall(r'<th scope="row" id="[^"]*">\s*<a href="[^"]*">([^<]*)</a>', index)


@pytest.fixture
def admin_client(client: Client, db: None) -> Client:
    """A superuser, who sees every model the admin registers, with a row in each list below."""
    from django.contrib.auth.models import User

    from turntide.audit.actions import record
    from turntide.cases.models import URLCase
    from turntide.exchange.models import IccamTerm
    from turntide.members.actions import do_create_organisation
    from turntide.reports.models import Report
    from turntide.takedown.models import NoticeTemplate

    URLCase.objects.create(url_key="0" * 64, canonical_url="https://example.com/a")
    Report.objects.create()
    do_create_organisation("system", "Example ISP", ["url-list"], kind="isp")
    IccamTerm.objects.create(lookup="site_type", iccam_id=1, name="Website")
    NoticeTemplate.objects.create(recipient_type="host", language="en", subject="s", body="b")
    record("system", "case.opened", object_type="case", object_code="C-1")
    client.force_login(User.objects.create_superuser("root", "root@hotline.test", "x" * 20))
    return client


# Models of packages that ship no French or German catalogue (django-otp, django-tasks-db).
UNTRANSLATED_PACKAGES = {"TOTP devices", "Task Results"}


@pytest.mark.parametrize(
    ("language", "names"),
    [
        (
            "fr",
            [
                "Modèles de notification",
                "Schémas de classification",
                "Appartenances",
                "Termes ICCAM",
                "Signalements",
                "Événements d\u2019audit",
                "Sources d\u2019empreintes",
            ],
        ),
        (
            "de",
            [
                "Benachrichtigungsvorlagen",
                "Klassifizierungsschemata",
                "Mitgliedschaften",
                "ICCAM-Begriffe",
                "Meldungen",
                "Audit-Ereignisse",
                "Hash-Quellen",
            ],
        ),
    ],
)
def test_the_admin_index_names_every_model_in_the_staff_language(
    admin_client: Client, language: str, names: list[str]
) -> None:
    translated = admin_model_names(admin_client, language)
    assert [name for name in names if name not in translated] == []
    english = set(admin_model_names(admin_client, "en"))
    assert set(translated) & english == UNTRANSLATED_PACKAGES


# One change list per app: its heading, its column headers and its filters' titles.
CHANGE_LISTS = {
    "fr": [
        (
            "/admin/takedown/noticetemplate/",
            "Sélectionnez l\u2019objet modèle de notification à changer",
            ["Destinataire", "Langue", "Hébergeur", "Objet"],
            ["destinataire", "langue"],
        ),
        (
            "/admin/cases/urlcase/",
            "Sélectionnez l\u2019objet cas à changer",
            ["Code", "Statut", "Signalements", "Danger immédiat", "Ouvert le"],
            ["statut", "danger immédiat"],
        ),
        (
            "/admin/members/organisation/",
            "Sélectionnez l\u2019objet organisme à changer",
            ["Nom", "Code", "Type", "Statut", "Fin de la convention"],
            ["type", "statut"],
        ),
        (
            "/admin/exchange/iccamterm/",
            "Sélectionnez l\u2019objet terme ICCAM à afficher",
            ["Table de référence", "Identifiant ICCAM", "Nom", "Listé par ICCAM"],
            ["table de référence", "listé par ICCAM"],
        ),
        (
            "/admin/reports/report/",
            "Sélectionnez l\u2019objet signalement à changer",
            ["Référence", "Canal", "Reçu le", "Danger immédiat"],
            ["canal", "danger immédiat"],
        ),
        (
            "/admin/audit/event/",
            "Sélectionnez l\u2019objet événement d\u2019audit à afficher",
            ["Numéro", "Date", "Qui", "Action", "Type d\u2019objet", "Objet"],
            ["action", "type d\u2019objet"],
        ),
    ],
    "de": [
        (
            "/admin/takedown/noticetemplate/",
            "Benachrichtigungsvorlage zur Änderung auswählen",
            ["Empfänger", "Sprache", "Hoster", "Betreff"],
            ["Empfänger", "Sprache"],
        ),
        (
            "/admin/cases/urlcase/",
            "Fall zur Änderung auswählen",
            ["Code", "Status", "Meldungen", "Unmittelbare Gefahr", "Eröffnet am"],
            ["Status", "unmittelbare Gefahr"],
        ),
        (
            "/admin/members/organisation/",
            "Organisation zur Änderung auswählen",
            ["Name", "Code", "Art", "Status", "Vereinbarung bis"],
            ["Art", "Status"],
        ),
        (
            "/admin/exchange/iccamterm/",
            "ICCAM-Begriff zum Ansehen auswählen",
            ["Nachschlagetabelle", "ICCAM-ID", "Name", "Von ICCAM gelistet"],
            ["Nachschlagetabelle", "von ICCAM gelistet"],
        ),
        (
            "/admin/reports/report/",
            "Meldung zur Änderung auswählen",
            ["Referenz", "Kanal", "Eingegangen am", "Unmittelbare Gefahr"],
            ["Kanal", "unmittelbare Gefahr"],
        ),
        (
            "/admin/audit/event/",
            "Audit-Ereignis zum Ansehen auswählen",
            ["Nummer", "Zeitpunkt", "Wer", "Aktion", "Objekttyp", "Objekt"],
            ["Aktion", "Objekttyp"],
        ),
    ],
}


@pytest.mark.parametrize(
    ("language", "path", "heading", "columns", "filters"),
    [(language, *page) for language, pages in CHANGE_LISTS.items() for page in pages],
)
def test_admin_change_lists_name_columns_and_filters_in_the_staff_language(
    admin_client: Client,
    language: str,
    path: str,
    heading: str,
    columns: list[str],
    filters: list[str],
) -> None:
    html = admin_client.get(path, headers={"Accept-Language": language}).content.decode()
    assert f"<h1>{heading}</h1>" in html
    headers = re.findall(r'<div class="text">(?:<a [^>]*>|<span>)([^<]*)<', html)
    assert [header for header in headers if header] == columns
    assert re.findall(r'<details data-filter-title="([^"]*)"', html) == filters
