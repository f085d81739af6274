"""Only public web addresses get in at the public form, and at every caller of intake."""

from __future__ import annotations

import html

import pytest
from django.test import Client

from turntide.cases.models import URLCase
from turntide.reports.actions import InvalidReport, do_receive_report
from turntide.reports.models import Report

pytestmark = pytest.mark.django_db

JUNK = "hello\nnot a url at all\nhttp://localhost/x\nhttp://192.168.1.1/admin\nhttp://[::1]/"


def errors_of(page: bytes) -> str:
    return html.unescape(page.decode())


def test_the_form_names_each_junk_line_keeps_what_was_typed_and_stores_nothing(
    rosa: Client,
) -> None:
    typed = "http://fine.example/1\n" + JUNK
    page = errors_of(rosa.post("/report/", {"urls": typed, "description": "on a forum"}).content)
    assert "Line 2 (hello): “hello” is not a complete web address" in page
    assert "Line 3 (not a url at all): this is not a web address a browser could open" in page
    assert "Line 4 (http://localhost/x): “localhost” is the name of your own computer" in page
    assert "Line 5 (http://192.168.1.1/admin): 192.168.1.1 belongs to a private" in page
    assert "Line 6 (http://[::1]/): ::1 belongs to a private, local or reserved network" in page
    assert "Line 1" not in page
    assert typed in page
    assert "on a forum" in page
    assert Report.objects.count() == URLCase.objects.count() == 0


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("fr", "Ligne 1 (hello)\u00a0: « hello » n’est pas une adresse web complète"),  # noqa: RUF001
        ("de", "Zeile 1 (hello): „hello“ ist keine vollständige Webadresse"),
    ],
)
def test_the_reason_is_in_the_reporter_s_language(rosa: Client, prefix: str, expected: str) -> None:
    page = errors_of(rosa.post(f"/{prefix}/report/", {"urls": "hello"}).content)
    assert expected in page


def test_in_production_reserved_names_and_unknown_suffixes_are_refused(
    rosa: Client, settings
) -> None:
    settings.TURNTIDE_INTAKE_ALLOW_RESERVED = False
    typed = "http://shop.example/a\nhttp://intranet.corp/\nhttps://www.iana.org/domains"
    page = errors_of(rosa.post("/report/", {"urls": typed}).content)
    assert "Line 1 (http://shop.example/a): “shop.example” is a name reserved" in page
    assert "Line 2 (http://intranet.corp/): no web address on the internet ends in “.corp”" in page
    assert "Line 3" not in page
    assert Report.objects.count() == 0
    do_receive_report("public", ["https://www.iana.org/domains"])
    assert URLCase.objects.get().canonical_url == "https://www.iana.org/domains"


def test_outside_production_reserved_names_get_in(rosa: Client) -> None:
    page = rosa.post("/report/", {"urls": "http://shop.example/a\nhttp://host.test/"}).content
    assert page.count(b"received, thank you.") == 2


def test_every_caller_of_intake_meets_the_same_check() -> None:
    with pytest.raises(InvalidReport, match="loopback"):
        do_receive_report("system", ["http://127.0.0.1:8000/x"], channel="proactive")
    assert URLCase.objects.count() == 0
