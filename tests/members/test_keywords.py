"""The keyword list: analysts curate it, members with the keywords scope receive deltas."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.members.test_url_list import token_for
from turntide.audit.models import Event
from turntide.members.keywords import KeywordError, do_add_keyword, do_withdraw_keyword
from turntide.members.models import Keyword


def fetch(client: Client, token: str, since: int = 0, **query: str):
    return client.get(
        "/api/v1/lists/keywords",
        {"since": since, **query},
        headers={"Authorization": f"Bearer {token}"},
    )


def test_keywords_are_versioned_and_served_as_deltas(client: Client, analyst) -> None:
    first = do_add_keyword(analyst, "  Example   TERM ", "en")
    do_add_keyword(analyst, "terme exemple", "fr")
    token = token_for("keywords", name="Search Engine")
    whole = fetch(client, token).json()
    assert whole["version"] == 2
    assert [(k["term"], k["language"]) for k in whole["added"]] == [
        ("example term", "en"),
        ("terme exemple", "fr"),
    ]
    do_withdraw_keyword(analyst, first.pk)
    delta = fetch(client, token, since=2).json()
    assert (delta["version"], delta["added"]) == (3, [])
    assert [k["term"] for k in delta["removed"]] == ["example term"]
    assert {e.action for e in Event.objects.filter(object_type="keyword")} == {
        "keyword.added",
        "keyword.withdrawn",
    }


def test_a_term_is_on_the_list_once_and_may_come_back(analyst) -> None:
    keyword = do_add_keyword(analyst, "repeat", "en")
    with pytest.raises(KeywordError, match="already on the list"):
        do_add_keyword(analyst, "REPEAT", "en")
    do_withdraw_keyword(analyst, keyword.pk)
    do_add_keyword(analyst, "repeat", "en")
    assert Keyword.objects.filter(term="repeat").count() == 2
    with pytest.raises(KeywordError, match="not on the list"):
        do_withdraw_keyword(analyst, keyword.pk)


@pytest.mark.parametrize(("term", "language"), [("   ", "en"), ("term", " ")])
def test_empty_input_changes_nothing(analyst, term: str, language: str) -> None:
    with pytest.raises(KeywordError):
        do_add_keyword(analyst, term, language)
    assert not Keyword.objects.exists()


def test_the_language_is_a_language_tag_spelled_one_way(analyst) -> None:
    assert do_add_keyword(analyst, "term", "PT_br").language == "pt-BR"
    assert do_add_keyword(analyst, "term", "zh-hant").language == "zh-Hant"
    do_add_keyword(analyst, "other", "EN")
    with pytest.raises(KeywordError, match="already on the list"):
        do_add_keyword(analyst, "other", "en")
    for language in ("English", "xx", "en-US-extra", "<script>"):
        with pytest.raises(KeywordError, match="language"):
            do_add_keyword(analyst, "refused", language)
    assert not Keyword.objects.filter(term="refused").exists()


def test_the_staff_page_names_a_bad_language_beside_its_field(client: Client, analyst) -> None:
    client.force_login(analyst)
    response = client.post("/lists/keywords/", {"term": "from the page", "language": "English"})
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "language": ["“English” is no language tag such as en, pt-BR, zh-Hant"]
    }
    assert not Keyword.objects.exists()


def test_csv_and_scope(client: Client, analyst) -> None:
    do_add_keyword(analyst, "csv term", "en")
    response = fetch(client, token_for("keywords", name="Filter Vendor"), format="csv")
    assert response.content.decode().splitlines()[2].startswith("added,")
    assert fetch(client, token_for("url-list", name="ISP")).status_code == 403


def test_analysts_manage_keywords_through_the_staff_page(client: Client, analyst) -> None:
    client.force_login(analyst)
    page = client.get("/lists/keywords/")
    assert page.status_code == 200
    response = client.post("/lists/keywords/", {"term": "from the page", "language": "en"})
    assert response.status_code == 302
    keyword = Keyword.objects.get(term="from the page")
    bad = client.post("/lists/keywords/", {"term": "from the page", "language": "en"})
    assert bad.status_code == 400
    assert "already on the list" in bad.content.decode()
    client.post(f"/lists/keywords/{keyword.pk}/withdraw/")
    keyword.refresh_from_db()
    assert keyword.removed_version is not None


def test_people_without_the_permission_cannot_manage_keywords(
    client: Client, researcher, manager
) -> None:
    for user in (researcher, manager):
        client.force_login(user)
        assert client.get("/lists/keywords/").status_code == 403
        assert client.post("/lists/keywords/", {"term": "x", "language": "en"}).status_code == 403
    assert not Keyword.objects.exists()


def test_a_senior_marks_a_site_from_the_case_page(client: Client, analyst, senior_analyst):
    from tests.members.test_url_list import actioned

    case = actioned(analyst, "http://www.marked.example/a")
    client.force_login(analyst)
    assert client.get(f"/lists/sites/mark/{case.code}/").status_code == 404
    client.force_login(senior_analyst)
    assert "lists/sites/mark" in client.get(f"/cases/{case.code}/").content.decode()
    form = client.get(f"/lists/sites/mark/{case.code}/")
    assert 'value="www.marked.example"' in form.content.decode()
    done = client.post(
        f"/lists/sites/mark/{case.code}/", {"host": "marked.example", "reason": "gallery"}
    )
    assert done.status_code == 302
    assert "marked.example" in client.get("/lists/sites/").content.decode()
