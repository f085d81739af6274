"""Administrators manage sources and withdraw false positives in /admin/, audited."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.hashes.conftest import MD5, pdq
from turntide.audit.models import Event
from turntide.hashes.lists import hash_list_delta
from turntide.hashes.models import HashEntry, HashSource


def test_an_administrator_withdraws_a_false_positive(client: Client, administrator, add) -> None:
    add(("pdq", pdq(1)), ("pdq", pdq(2)))
    client.force_login(administrator)
    entry = HashEntry.objects.get(value=pdq(1))
    response = client.post(
        "/admin/hashes/hashentry/",
        {"action": "withdraw_as_false_positive", "_selected_action": [entry.pk]},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.withdrawal_reason, entry.withdrawn_by) == ("false_positive", "root-admin")
    assert hash_list_delta(1).removed == [{"type": "pdq", "value": pdq(1)}]
    assert Event.objects.filter(action="hashes.withdrawn", actor="root-admin").exists()


def test_a_new_threshold_set_in_the_admin_is_audited_and_republished(
    client: Client, administrator, add, partner
) -> None:
    add(("pdq", pdq(1)))
    client.force_login(administrator)
    form = {"trust": "verified", "licence": partner.licence, "pdq_threshold": 20}
    response = client.post(f"/admin/hashes/hashsource/{partner.pk}/change/", form)
    assert response.status_code == 302
    assert hash_list_delta(1).added[0]["threshold"] == 20
    assert HashSource.objects.get(pk=partner.pk).trust == "verified"
    actions = set(Event.objects.values_list("action", flat=True))
    assert {"hashsource.changed", "hashsource.threshold_changed"} <= actions


def test_entries_cannot_be_added_or_deleted_and_analysts_see_no_admin(
    client: Client, administrator, analyst, add
) -> None:
    add(("md5", "0" * 32))
    entry = HashEntry.objects.get()
    client.force_login(administrator)
    assert client.get("/admin/hashes/hashentry/add/").status_code == 403
    assert client.get(f"/admin/hashes/hashentry/{entry.pk}/delete/").status_code == 403
    client.force_login(analyst)
    assert client.get("/admin/hashes/hashentry/").status_code == 302  # to the admin login


@pytest.mark.parametrize(
    ("language", "heading", "columns", "filters"),
    [
        (
            "fr",
            "Sélectionnez l\u2019objet empreinte à changer",
            ["Type", "Valeur", "Catégorie", "Source", "Ajoutée le", "Motif du retrait"],
            ["type", "catégorie", "motif du retrait"],
        ),
        (
            "de",
            "Hash-Eintrag zur Änderung auswählen",
            ["Typ", "Wert", "Kategorie", "Quelle", "Hinzugefügt", "Grund des Rückzugs"],
            ["Typ", "Kategorie", "Grund des Rückzugs"],
        ),
    ],
)
def test_the_hash_list_admin_names_its_columns_and_filters_in_the_staff_language(
    client: Client,
    administrator,
    add,
    language: str,
    heading: str,
    columns: list[str],
    filters: list[str],
) -> None:
    add(("md5", MD5))
    client.force_login(administrator)
    page = client.get("/admin/hashes/hashentry/", headers={"Accept-Language": language})
    html = page.content.decode()
    assert f"<h1>{heading}</h1>" in html
    headers = re.findall(
        r'<th scope="col" class="sortable column-\w+">\s*.*?<a [^>]*>([^<]*)</a>', html, re.S
    )
    assert headers == columns
    assert re.findall(r'<details data-filter-title="([^"]*)"', html) == filters
