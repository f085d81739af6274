"""The portal explains each service in words and shows how to install and run the member
client, with file names that say what the client writes."""

from __future__ import annotations

import json
from pathlib import Path

from django.contrib.auth.models import User
from django.test import Client

from turntide.core.hashlist import HashList
from turntide.core.urllist import FILE_MAGIC, URLList
from turntide.members.models import SERVICES, Organisation
from turntide.members.portal_guide import GUIDE, HASH_LIST_FILE, URL_LIST_FILE


def test_every_service_has_words_for_what_it_allows() -> None:
    for name in SERVICES:
        assert GUIDE[name].title, name
        assert len(str(GUIDE[name].allows)) > 40, name


def test_the_overview_explains_each_licensed_service_and_no_other(
    client: Client, alice: User
) -> None:
    client.force_login(alice)
    page = client.get("/members/").content.decode()
    for name in ("url-list", "hash-list", "keywords"):  # isp_a's licence
        assert f'id="service-{name}"' in page
        assert str(GUIDE[name].allows) in page
    for name in ("url-list-plain", "rpz-feed", "match", "report"):
        assert f'id="service-{name}"' not in page
    keywords = page.split('id="service-keywords"')[1].split("</div>")[0]
    assert "http://testserver/api/v1/lists/keywords.csv?since=0" in keywords


def test_a_service_the_guide_does_not_know_shows_by_its_name(
    client: Client, alice: User, isp_a: Organisation
) -> None:
    Organisation.objects.filter(pk=isp_a.pk).update(services=["url-list", "not-yet-described"])
    client.force_login(alice)
    page = client.get("/members/").content.decode()
    assert 'id="service-not-yet-described"' in page


def test_the_portal_shows_how_to_install_and_run_the_client(client: Client, alice: User) -> None:
    client.force_login(alice)
    page = client.get("/members/").content.decode()
    steps = page.split('id="sync-command"')[1].split("</ol>")[0]
    for line in (
        "pipx install turntide",
        "export TURNTIDE_TOKEN=tt_",
        "turntide list sync --server http://testserver --out url-list.bin",
        "turntide list check --list url-list.bin &lt; proxy.log",
        "turntide hashes sync --server http://testserver --out hash-list.json",
        "turntide hashes check --list hash-list.json",
    ):
        assert line in steps, line
    assert "url-list.json" not in page


def test_the_suggested_file_names_say_what_the_client_writes(tmp_path: Path) -> None:
    URLList().save(tmp_path / URL_LIST_FILE)
    assert (tmp_path / URL_LIST_FILE).read_bytes().startswith(FILE_MAGIC)  # binary
    assert URL_LIST_FILE.endswith(".bin")
    HashList().save(tmp_path / HASH_LIST_FILE)
    assert json.loads((tmp_path / HASH_LIST_FILE).read_text())["version"] == 0


def test_the_token_form_names_each_service_with_its_title(client: Client, alice: User) -> None:
    client.force_login(alice)
    form = client.get("/members/tokens/").context["form"]
    assert [(name, str(label)) for name, label in form.fields["services"].choices] == [
        ("url-list", "url-list (URL list, hashed)"),
        ("hash-list", "hash-list (Hash list)"),
        ("keywords", "keywords (Keyword list)"),
    ]
