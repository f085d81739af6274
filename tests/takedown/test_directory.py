"""The provider and partner hotline directories: CSV import, all or nothing, audited."""

from __future__ import annotations

import io

import pytest

from turntide.audit.models import Event
from turntide.cli import main
from turntide.takedown.directory import DirectoryImportError, import_partners, import_providers
from turntide.takedown.models import PartnerHotline, Provider

PROVIDERS = """asn,name,abuse_email,country,upstream_email
AS64500,Example Hosting,abuse@hosting.example,GB,abuse@transit.example
64501,Other Hosting,abuse@other.example,,
"""


def test_providers_are_added_then_updated_by_as_number(db: None) -> None:
    assert import_providers("cli", io.StringIO(PROVIDERS)) == 2
    changed = "asn,name,abuse_email\n64501,Other Hosting Ltd,noc@other.example\n"
    assert import_providers("cli", io.StringIO(changed)) == 1
    rows = list(Provider.objects.values_list("asn", "name", "abuse_email", "upstream_email"))
    assert rows == [
        (64500, "Example Hosting", "abuse@hosting.example", "abuse@transit.example"),
        (64501, "Other Hosting Ltd", "noc@other.example", ""),
    ]
    assert Event.objects.filter(action="takedown.providers_imported").count() == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("asn,name\n1,x\n", "missing columns: abuse_email"),
        ("asn,name,abuse_email\n1,a,a@x.example\nAS-two,b,b@x.example\n", "line 3: asn"),
        ("asn,name,abuse_email\n1,a,not-an-address\n", "line 2: abuse_email"),
    ],
)
def test_a_bad_provider_file_saves_nothing(db: None, text: str, message: str) -> None:
    with pytest.raises(DirectoryImportError, match=message):
        import_providers("cli", io.StringIO(text))
    assert not Provider.objects.exists()


def test_partner_hotlines_are_keyed_by_country(db: None) -> None:
    text = (
        "country,name,email,language\n"
        "nl,Partner NL,ref@nl.example,nl\n"
        "DE,Partner DE,r@de.example,\n"
    )
    assert import_partners("cli", io.StringIO(text)) == 2
    rows = list(PartnerHotline.objects.values_list("country", "language", "scheme"))
    assert rows == [("DE", "en", "inhope"), ("NL", "nl", "inhope")]
    with pytest.raises(DirectoryImportError, match="line 2: country"):
        import_partners("cli", io.StringIO("country,name,email\nNLD,x,y@z.example\n"))


@pytest.mark.django_db
def test_the_command_imports_a_directory_file(tmp_path, capsys) -> None:
    path = tmp_path / "providers.csv"
    path.write_text(PROVIDERS, encoding="utf-8")
    assert main(["takedown", "import", "providers", str(path)]) == 0
    assert capsys.readouterr().out == "2 providers imported\n"
    path.write_text("asn,name\n", encoding="utf-8")
    assert main(["takedown", "import", "providers", str(path)]) == 2
    assert "missing columns" in capsys.readouterr().err
    assert Provider.objects.count() == 2


def test_directory_edits_in_the_admin_are_audited(client, administrator) -> None:
    client.force_login(administrator)
    response = client.post(
        "/admin/takedown/provider/add/",
        {"asn": "64510", "name": "Admin Hosting", "abuse_email": "abuse@admin.example"},
    )
    assert response.status_code == 302
    provider = Provider.objects.get(asn=64510)
    response = client.post(f"/admin/takedown/provider/{provider.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    events = Event.objects.filter(object_type="provider", object_code="64510")
    assert list(events.order_by("sequence").values_list("action", "actor")) == [
        ("takedown.provider_added", "root-admin"),
        ("takedown.provider_deleted", "root-admin"),
    ]


def test_only_administrators_edit_the_directories(client, analyst) -> None:
    client.force_login(analyst)
    response = client.post("/admin/takedown/partnerhotline/add/", {"country": "NL"})
    assert response.status_code in (302, 403)
    assert not PartnerHotline.objects.exists()
