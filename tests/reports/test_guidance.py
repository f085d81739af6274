"""The hotline's own guidance: edited in the admin, shipped with sensible defaults."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.test import Client

from turntide.reports.models import FeedbackContact, GuidanceText, HotlineGuidance, OtherAgency

pytestmark = pytest.mark.django_db


def test_with_nothing_saved_the_shipped_defaults_apply(rosa: Client, settings) -> None:
    settings.TURNTIDE_HOME_COUNTRY = "FR"
    guidance = HotlineGuidance.current()
    assert (guidance.police_number, guidance.max_urls_per_report) == ("112", 50)
    assert guidance.feedback_retention_days == 90
    assert guidance.excluded_hosts() == []
    page = rosa.get("/report/").content.decode()
    assert "Report images and videos of child sexual abuse." in page
    assert "At most 50 addresses." in page


def test_the_hotline_edits_its_guidance_in_the_admin(hotline_admin: Client, rosa: Client) -> None:
    form = {
        "police_phone": "999",
        "police_url": "https://police.example/report",
        "out_of_remit_hosts": "hotline.example",
        "max_urls_per_report": "20",
        "feedback_retention_days": "30",
        "texts-TOTAL_FORMS": "1",
        "texts-INITIAL_FORMS": "0",
        "texts-0-language": "fr",
        "texts-0-intro": "Nous sommes la ligne de démonstration.",
        "texts-0-points": "Premier conseil.\nSecond conseil.",
        "other_agencies-TOTAL_FORMS": "1",
        "other_agencies-INITIAL_FORMS": "0",
        "other_agencies-0-topic": "Contenus terroristes",
        "other_agencies-0-name": "Agence exemple",
        "other_agencies-0-url": "https://agency.example/",
        "other_agencies-0-position": "0",
    }
    response = hotline_admin.post("/admin/reports/hotlineguidance/add/", form)
    assert response.status_code == 302
    french = rosa.get("/fr/report/").content.decode()
    assert "Nous sommes la ligne de démonstration." in french
    assert "<li>Premier conseil.</li>" in french
    assert "Signalez les images et vidéos" not in french  # the hotline's points replace ours
    assert 'Contenus terroristes: <a href="https://agency.example/">Agence exemple</a>' in french
    assert 'href="tel:999"' in french
    assert 'href="https://police.example/report"' in french
    assert "20 adresses au maximum." in french
    english = rosa.get("/en/report/").content.decode()
    assert "Report images and videos of child sexual abuse." in english  # no English text saved


def test_the_guidance_is_one_row_that_cannot_be_deleted(hotline_admin: Client) -> None:
    HotlineGuidance.objects.create()
    assert hotline_admin.get("/admin/reports/hotlineguidance/add/").status_code == 403
    assert hotline_admin.get("/admin/reports/hotlineguidance/1/delete/").status_code == 403
    HotlineGuidance(police_phone="17").save()
    assert HotlineGuidance.objects.get().police_phone == "17"


def test_an_unusable_out_of_remit_host_is_refused() -> None:
    with pytest.raises(ValidationError, match="ftp:"):
        HotlineGuidance(out_of_remit_hosts="hotline.example\nftp://files.example").full_clean()
    guidance = HotlineGuidance(out_of_remit_hosts="  Hotline.Example.\nhttps://BÜCHER.example/x\n")
    assert guidance.excluded_hosts() == ["hotline.example", "xn--bcher-kva.example"]


def test_reporters_addresses_are_not_in_the_admin() -> None:
    assert FeedbackContact not in admin.site._registry
    assert {HotlineGuidance} <= set(admin.site._registry)
    assert {GuidanceText, OtherAgency}.isdisjoint(admin.site._registry)  # edited inline
