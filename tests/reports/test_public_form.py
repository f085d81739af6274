"""The public form: guidance first, every line checked, nothing typed ever lost."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from turntide.cases.models import URLCase
from turntide.cases.queue import queue
from turntide.reports.models import HotlineGuidance, Report, ReportedURL

pytestmark = pytest.mark.django_db


def report(client: Client, urls: str, **fields: str) -> bytes:
    response = client.post("/report/", {"urls": urls, **fields})
    assert response.status_code == 200
    return response.content


def test_the_form_sets_no_cookie_but_csrf_and_loads_no_script(rosa: Client) -> None:
    response = rosa.get("/report/")
    assert response.status_code == 200
    assert set(response.cookies) <= {"csrftoken"}
    assert b"<script" not in response.content
    assert not re.search(rb'(src|href)="(https?:)?//', response.content)


def test_the_guidance_comes_before_the_form(rosa: Client) -> None:
    page = rosa.get("/report/").content.decode()
    police, guidance, form = (
        page.index("Is a child in immediate danger?"),
        page.index("Report each web address once"),
        page.index("<form"),
    )
    assert police < guidance < form
    assert 'href="tel:999"' in page  # the default country, GB
    assert "Your report is anonymous" in page
    assert "belongs with other organisations" in page


def test_a_report_opens_a_case_and_shows_an_unguessable_reference(rosa: Client) -> None:
    page = report(rosa, "http://site.example/a/1.html", found_where="website")
    reference = Report.objects.get().reference
    assert re.fullmatch(r"TT-[0-9A-Z]{4}-[0-9A-Z]{4}", reference)
    assert reference.encode() in page
    assert b"received, thank you." in page
    assert URLCase.objects.get().canonical_url == "http://site.example/a/1.html"


def test_each_url_says_whether_it_was_new_or_already_reported(rosa: Client, ben: Client) -> None:
    report(rosa, "http://site.example/a/1.html")
    page = report(ben, "HTTPS://SITE.example/a/./b/../1.html#frag\nhttp://fresh.example/")
    assert URLCase.objects.get(canonical_url="http://site.example/a/1.html").report_count == 2
    first, second = page.split(b"<li><code")[1:]
    assert b"already reported, thank you \xe2\x80\x94 no need to report it again." in first
    assert b"received, thank you." in second


def test_the_confirmation_never_shows_an_assessment_outcome(rosa: Client, analyst) -> None:
    from turntide.cases.actions import do_assess
    from turntide.cases.models import Assessment

    report(rosa, "http://assessed.example/")
    do_assess(analyst, URLCase.objects.get(), Assessment(outcome="not_illegal"))
    page = report(rosa, "http://assessed.example/")
    assert b"already reported" in page
    assert b"Not illegal" not in page
    assert b"not_illegal" not in page


def test_an_invalid_line_is_named_and_everything_typed_comes_back(rosa: Client) -> None:
    typed = "http://site.example/ok\n\nftp://files.example/x\nhttp://"
    response = rosa.post(
        "/report/",
        {"urls": typed, "description": "seen on a forum", "content_type": "videos"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Line 3 (ftp://files.example/x): “ftp:” is not a web address" in page
    assert "Line 4 (http://): the address has no host name" in page
    assert "Line 1" not in page
    assert typed in page
    assert "seen on a forum" in page
    assert 'value="videos" id="id_content_type_1" checked' in page
    assert Report.objects.count() == ReportedURL.objects.count() == 0


def test_url_errors_are_tied_to_the_field_for_screen_readers(rosa: Client) -> None:
    page = rosa.post("/report/", {"urls": "mailto:someone@example.com"}).content.decode()
    textarea = re.search(r"<textarea name=\"urls\"[^>]*>", page)
    assert textarea is not None
    assert 'aria-invalid="true"' in textarea.group()
    assert 'aria-describedby="id_urls_helptext id_urls_error"' in textarea.group()
    assert '<ul class="errorlist" id="id_urls_error">' in page
    assert '<a href="#id_urls">Line 1' in page  # the summary above the form links to it


def test_an_empty_report_asks_for_an_address(rosa: Client) -> None:
    page = rosa.post("/report/", {"urls": "\n  \n"}).content
    assert b"Enter at least one web address." in page
    assert Report.objects.count() == 0


def test_more_urls_than_the_hotline_allows_are_refused_with_the_count(rosa: Client) -> None:
    HotlineGuidance.objects.create(max_urls_per_report=3)
    urls = "\n".join(f"http://many.example/{n}" for n in range(4))
    page = rosa.post("/report/", {"urls": urls}).content.decode()
    assert "Enter at most 3 web addresses in one report; this one has 4." in page
    assert urls in page
    assert Report.objects.count() == 0


def test_an_out_of_remit_host_gets_a_friendly_message(rosa: Client) -> None:
    HotlineGuidance.objects.create(out_of_remit_hosts="Hotline.Example\n")
    typed = "http://site.example/a\nhttps://www.hotline.example/report/"
    page = rosa.post("/report/", {"urls": typed}).content.decode()
    assert "Line 2 (https://www.hotline.example/report/): thank you, but addresses on" in page
    assert "hotline.example are outside what we deal with" in page
    assert Report.objects.count() == 0


def test_the_description_is_capped(rosa: Client) -> None:
    page = rosa.post("/report/", {"urls": "http://a.example/", "description": "x" * 2001})
    assert b'maxlength="2000"' in page.content
    assert b"at most 2000 characters" in page.content
    assert Report.objects.count() == 0


def test_a_filled_honeypot_stores_nothing(rosa: Client) -> None:
    page = rosa.post("/report/", {"urls": "http://spam.example/", "comment": "buy now"})
    assert b"Leave this field empty." in page.content
    assert Report.objects.count() == 0


def test_immediate_danger_puts_the_case_first_and_repeats_the_police_guidance(
    rosa: Client,
) -> None:
    HotlineGuidance.objects.create(police_phone="999", police_url="https://police.example/")
    calm = report(rosa, "http://calm.example/")
    urgent = report(rosa, "http://urgent.example/", immediate_danger="on")
    assert [c.canonical_url for c in queue()] == ["http://urgent.example/", "http://calm.example/"]
    assert b"You told us a child may be in immediate danger" in urgent
    assert b'href="tel:999"' in urgent
    assert b'href="https://police.example/"' in urgent
    assert b"tel:" not in calm


def test_a_browser_that_blocks_the_csrf_cookie_gets_back_what_was_typed() -> None:
    hardened = Client(enforce_csrf_checks=True)
    typed = {"urls": "http://a.example/1\nhttp://b.example/2", "description": "in a forum"}
    response = hardened.post("/fr/report/", typed)
    assert response.status_code == 403
    page = response.content.decode()
    assert "Veuillez réessayer" in page
    assert f">{typed['urls']}</textarea>" in page
    assert f">{typed['description']}</textarea>" in page
    assert Report.objects.count() == 0


def test_stray_brackets_in_a_host_are_a_line_error_not_a_server_error(rosa: Client) -> None:
    typed = "http://[::1\nhttp://a]b/\nhttp://a<b/\nhttp://site.example/ok"
    page = rosa.post("/report/", {"urls": typed}).content.decode()
    assert "Line 1 (http://[::1): the host name (the part after http://) cannot contain" in page
    assert "Line 2 (http://a]b/): the host name" in page
    assert (
        "Line 3 (http://a&lt;b/): the host name (the part after http://) cannot contain “&lt;”"
        in page
    )
    assert "Line 4" not in page
    assert Report.objects.count() == 0
