"""The administration looks like Turntide, labels every field and never shows a password hash.

The browser crawl (tests/browser/test_accessibility_everywhere.py) runs axe-core over the demo's
admin; these tests walk every registered model's pages without a browser, so they also cover
models the demo's administrator has no rights to, and they run in every test session.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD

# What Django's stock password widget shows of a hash: argon2's and PBKDF2's parameters.
HASH_PARAMETERS = re.compile(rb"\b(iterations|salt|memory cost|time cost)\b", re.I)


class Controls(HTMLParser):
    """The form controls a person fills in, and whether each has a label."""

    NO_LABEL = {"hidden", "submit", "button", "reset", "image"}

    def __init__(self) -> None:
        super().__init__()
        self.label_for: set[str] = set()
        self.open_labels = 0
        self.controls: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "label":
            self.open_labels += 1
            if found.get("for"):
                self.label_for.add(found["for"] or "")
        elif tag in {"input", "select", "textarea"} and found.get("type") not in self.NO_LABEL:
            if "selectfilter" in (found.get("class") or ""):
                return  # the two-list widget, which its script rebuilds with labels
            named = bool(found.get("aria-label") or found.get("aria-labelledby"))
            name = found.get("id") or found.get("name") or tag
            self.controls.append((name, named or self.open_labels > 0))

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self.open_labels -= 1

    def unlabelled(self) -> list[str]:
        return [name for name, named in self.controls if not named and name not in self.label_for]


def unlabelled_controls(html: bytes) -> list[str]:
    parser = Controls()
    parser.feed(html.decode())
    return parser.unlabelled()


@pytest.fixture
def superuser_client(client: Client, db: None) -> Client:
    client.force_login(User.objects.create_superuser("root", "root@hotline.test", PASSWORD))
    return client


def admin_pages() -> list[str]:
    """Each registered model's list, add form and first object's change form."""
    pages = [reverse("admin:index")]
    for model in admin.site._registry:
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages.append(reverse(f"{name}_changelist"))
        pages.append(reverse(f"{name}_add"))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            pages.append(reverse(f"{name}_change", args=[first.pk]))
    return pages


def test_every_admin_form_field_has_a_label(superuser_client: Client) -> None:
    problems = {}
    for url in admin_pages():
        response = superuser_client.get(url)
        if response.status_code == 200:
            problems[url] = unlabelled_controls(response.content)
    assert {url: names for url, names in problems.items() if names} == {}


def test_no_admin_page_shows_password_hash_parameters(superuser_client: Client) -> None:
    shown = [
        url for url in admin_pages() if HASH_PARAMETERS.search(superuser_client.get(url).content)
    ]
    assert shown == []


@pytest.mark.parametrize("usable", [True, False], ids=["set", "not-set"])
def test_the_user_form_says_whether_a_password_is_set_and_links_to_reset_it(
    superuser_client: Client, usable: bool
) -> None:
    user = User.objects.create_user("nina", "nina@hotline.test", PASSWORD if usable else None)
    page = superuser_client.get(reverse("admin:auth_user_change", args=[user.pk]))
    assert page.status_code == 200
    assert user.password.split("$")[-1].encode() not in page.content
    assert not HASH_PARAMETERS.search(page.content)
    assert (b"Password set" if usable else b"No password set") in page.content
    (link,) = re.findall(rb'<a class="button" href="([^"]+)"', page.content)
    change = reverse("admin:auth_user_change", args=[user.pk])
    password = reverse("admin:auth_user_password_change", args=[user.pk])
    assert urljoin(change, link.decode()) == password


def test_roles_are_chosen_with_labelled_checkboxes(superuser_client: Client) -> None:
    user = User.objects.create_user("nina", "nina@hotline.test")
    page = superuser_client.get(reverse("admin:auth_user_change", args=[user.pk]))
    assert b'type="checkbox" name="groups"' in page.content
    assert b"selectfilter" not in page.content  # the two-list widget labels its icons wrongly


def test_admin_pages_carry_turntide_s_look_and_favicon(superuser_client: Client) -> None:
    page = superuser_client.get(reverse("admin:index")).content
    assert b"/static/turntide/admin.css" in page
    assert b'rel="icon" href="/static/turntide/favicon.svg"' in page
    assert b"dark_mode.css" not in page


@pytest.mark.parametrize(
    ("language", "header", "apps"),
    [
        ("fr", "Administration de Turntide", ["Cas", "Retrait", "Signalements"]),
        ("de", "Turntide-Verwaltung", ["Fälle", "Entfernung", "Meldungen"]),
    ],
)
def test_the_admin_names_itself_and_its_apps_in_the_staff_language(
    superuser_client: Client, language: str, header: str, apps: list[str]
) -> None:
    index = superuser_client.get(reverse("admin:index"), headers={"Accept-Language": language})
    html = index.content.decode()
    assert re.search(rf'<div id="site-name"><a [^>]*><img [^>]*> {header}</a></div>', html)
    sections = re.findall(r'<a href="/admin/\w+/" class="section">([^<]*)</a>', html)
    assert [name for name in apps if name not in sections] == []


@pytest.mark.parametrize("url", ["/report/", "/accounts/login/"])
def test_turntide_pages_link_the_favicon(client: Client, db: None, url: str) -> None:
    assert b'rel="icon" href="/static/turntide/favicon.svg"' in client.get(url).content


def test_favicon_ico_leads_to_the_icon(client: Client) -> None:
    response = client.get("/favicon.ico", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [("/static/turntide/favicon.svg", 302)]
    assert response["Content-Type"] == "image/svg+xml"
