"""The public pages wear the hotline's own name, logo and police number, not the software's."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image, PngImagePlugin

from turntide.audit.models import Event
from turntide.core.logo import MAX_BYTES, MAX_SIZE
from turntide.reports.models import HotlineGuidance

pytestmark = pytest.mark.django_db

EMPTY_INLINES = {
    "texts-TOTAL_FORMS": "0",
    "texts-INITIAL_FORMS": "0",
    "other_agencies-TOTAL_FORMS": "0",
    "other_agencies-INITIAL_FORMS": "0",
}
ADD = "/admin/reports/hotlineguidance/add/"
CHANGE = "/admin/reports/hotlineguidance/1/change/"


def picture(size: tuple[int, int], kind: str = "PNG", mode: str = "RGB", **options) -> bytes:
    """A generated image (a flat colour): no real picture enters the tests."""
    out = io.BytesIO()
    Image.new(mode, size, "teal" if mode != "1" else 1).save(out, kind, **options)
    return out.getvalue()


def upload(admin: Client, url: str, data: bytes, name: str = "logo.png", **fields: str):
    form = {"hotline_name": "Example Hotline", "max_urls_per_report": "50"}
    form |= {"feedback_retention_days": "90", **EMPTY_INLINES, **fields}
    return admin.post(url, form | {"logo_upload": SimpleUploadedFile(name, data)})


def test_the_public_pages_carry_the_hotlines_name_and_not_the_softwares(
    rosa: Client, settings
) -> None:
    settings.TURNTIDE_HOTLINE_NAME = "Configured Name"
    HotlineGuidance(hotline_name="Example Hotline").save()
    form = rosa.get("/fr/report/").content.decode()
    thanks = rosa.post("/report/", {"urls": "http://face.example/"}).content.decode()
    not_found = rosa.get("/report/nothing-here/").content.decode()
    for page in (form, thanks, not_found):
        assert '<span class="brand">Example Hotline</span>' in page
        assert "· Example Hotline</title>" in page
        assert page.count("Turntide") == 1  # in the small "powered by" footer only
        assert "Configured Name" not in page


def test_with_no_name_saved_the_configured_name_shows(rosa: Client, settings) -> None:
    settings.TURNTIDE_HOTLINE_NAME = "Configured Hotline"
    assert '<span class="brand">Configured Hotline</span>' in rosa.get("/report/").content.decode()
    settings.TURNTIDE_HOTLINE_NAME = ""
    assert '<span class="brand">Reporting hotline</span>' in rosa.get("/report/").content.decode()


@pytest.mark.parametrize(
    ("country", "number"),
    [
        *[("GB", "999"), ("FR", "112"), ("DE", "112"), ("US", "911"), ("CA", "911")],
        *[("AU", "000"), ("NZ", "111"), ("JP", "112")],
    ],
)
def test_the_police_number_follows_the_hotlines_country(
    rosa: Client, settings, country: str, number: str
) -> None:
    settings.TURNTIDE_HOME_COUNTRY = country
    assert f'href="tel:{number}"' in rosa.get("/report/").content.decode()


def test_a_stored_police_number_overrides_the_countrys(rosa: Client, settings) -> None:
    settings.TURNTIDE_HOME_COUNTRY = "FR"
    HotlineGuidance(police_phone="17").save()
    assert 'href="tel:17"' in rosa.get("/report/").content.decode()


def test_an_uploaded_logo_is_re_encoded_and_served_from_the_site_itself(
    hotline_admin: Client, rosa: Client
) -> None:
    note = PngImagePlugin.PngInfo()
    note.add_text("Comment", "uploader's note that must not be served")
    response = upload(hotline_admin, ADD, picture((1600, 400), pnginfo=note))
    assert response.status_code == 302
    digest = HotlineGuidance.current().logo_digest
    page = rosa.get("/report/").content.decode()
    assert f'<img class="logo" src="/report/logo/{digest}.png" alt="">Example Hotline' in page
    logo = rosa.get(f"/report/logo/{digest}.png")
    assert (logo.status_code, logo["Content-Type"]) == (200, "image/png")
    assert "immutable" in logo["Cache-Control"]
    assert b"must not be served" not in logo.content
    assert Image.open(io.BytesIO(logo.content)).size == MAX_SIZE
    event = Event.objects.get(action="guidance.changed")
    assert (event.actor, event.details["logo"]) == ("hana", digest)


def test_jpeg_and_webp_logos_are_taken_too(hotline_admin: Client) -> None:
    assert upload(hotline_admin, ADD, picture((300, 100), "JPEG"), "logo.jpg").status_code == 302
    first = HotlineGuidance.current().logo_digest
    assert upload(hotline_admin, CHANGE, picture((200, 100), "WEBP"), "l.webp").status_code == 302
    assert HotlineGuidance.current().logo_digest not in {"", first}


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (SVG, "must be a PNG, JPEG or WebP image (not SVG)"),
        (picture((40, 40), "GIF"), "must be a PNG, JPEG or WebP image (not SVG)"),
        (picture((40, 40))[:60], "must be a PNG, JPEG or WebP image (not SVG)"),
        (b"\x89PNG" + bytes(MAX_BYTES), "larger than 1,000,000 bytes"),
        (picture((5000, 5000), mode="1"), "more than 16,777,216 pixels"),
    ],
    ids=["svg", "gif", "truncated", "too-many-bytes", "too-many-pixels"],
)
def test_anything_but_a_sound_small_bitmap_is_refused(
    hotline_admin: Client, rosa: Client, data: bytes, message: str
) -> None:
    response = upload(hotline_admin, ADD, data, "logo.svg")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not HotlineGuidance.objects.exists()
    assert "<img" not in rosa.get("/report/").content.decode()


def test_the_logo_can_be_removed_and_its_old_address_then_answers_404(
    hotline_admin: Client, rosa: Client
) -> None:
    upload(hotline_admin, ADD, picture((200, 50)))
    digest = HotlineGuidance.current().logo_digest
    form = {"hotline_name": "Example Hotline", "max_urls_per_report": "50"}
    form |= {"feedback_retention_days": "90", "remove_logo": "on", **EMPTY_INLINES}
    assert hotline_admin.post(CHANGE, form).status_code == 302
    assert "<img" not in rosa.get("/report/").content.decode()
    assert rosa.get(f"/report/logo/{digest}.png").status_code == 404
    assert rosa.get("/report/logo/0123456789abcdef.png").status_code == 404
