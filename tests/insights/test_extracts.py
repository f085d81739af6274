"""Research extracts: de-identified, suppressed, audited, and for researchers only."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.test import Client

from tests.insights.synthetic import actioned, month
from turntide.audit.models import Event
from turntide.insights.extracts import build_extract

pytestmark = pytest.mark.django_db
GIRLS_11_13 = {
    "category": "A",
    "sex": "girls",
    "age_group": "11-13",
    "self_generated": "yes",
    "site_type": "image_host",
    "hosting_country": "NL",
}


@pytest.fixture
def history() -> None:
    """2021-2022: many image-host URLs in NL, a handful of rarer ones."""
    rows = []
    for year in (2021, 2022):
        rows += [(month(year, 1 + i % 12), GIRLS_11_13) for i in range(60)]
        rows += [(month(year, 3), {**GIRLS_11_13, "category": "C", "sex": "boys"})] * 3
        rows += [(month(year, 5), {**GIRLS_11_13, "category": "B", "hosting_country": "US"})] * 25
    rows += [(month(2022, 6), {**GIRLS_11_13, "hosting_country": "IS", "age_group": "3-6"})] * 2
    actioned(rows)


def download(client: Client, **fields: object) -> zipfile.ZipFile:
    data = {"first_year": 2021, "last_year": 2022, "granularity": "year", **fields}
    response = client.post("/insights/research/", data)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(response.content))


def table(archive: zipfile.ZipFile, name: str) -> list[list[str]]:
    path = next(n for n in archive.namelist() if n.endswith(f"/{name}.csv"))
    return list(csv.reader(io.StringIO(archive.read(path).decode())))


def test_a_researcher_downloads_tables_with_a_dictionary(
    client: Client, researcher, history
) -> None:
    client.force_login(researcher)
    archive = download(client)
    names = {name.split("/", 1)[1] for name in archive.namelist()}
    assert {
        "README.md",
        "dictionary.csv",
        "category_by_year.csv",
        "hosting_country_by_year.csv",
        "self_generated_by_age_group_and_sex.csv",
    } <= names
    category = table(archive, "category_by_year")
    assert category[0] == ["year", "A", "B", "C", "total"]
    assert category[1] == ["2021", "60", "x", "<10", "88"]
    readme = archive.read(next(n for n in archive.namelist() if n.endswith("README.md"))).decode()
    assert "<10" in readme
    assert "actioned URLs" in readme
    assert "`not_recorded`" in readme
    dictionary = archive.read(next(n for n in archive.namelist() if n.endswith("dictionary.csv")))
    assert b"category_by_year.csv,year," in dictionary


def test_small_cells_are_shown_as_under_the_threshold_with_complementary_cells(
    client: Client, researcher, history
) -> None:
    client.force_login(researcher)
    rows = table(download(client), "category_by_year")
    hidden = {"<10", "x"}
    for line in rows[1:]:  # every row with a hidden cell has another hidden entry
        assert sum(cell in hidden for cell in line[1:]) != 1
    for column in range(1, len(rows[0])):
        assert sum(line[column] in hidden for line in rows[1:]) != 1
    # Iceland's two URLs are never published, nor worked out from the totals.
    countries = table(download(client), "hosting_country_by_year")
    iceland = countries[0].index("IS")
    assert [line[iceland] for line in countries[1:]] == ["0", "<10", "<10"]


def test_a_total_hidden_in_one_table_is_hidden_in_every_table(db) -> None:
    """URLs per year are every period table's row totals: hidden in one, hidden in all."""
    b_boys = {**GIRLS_11_13, "category": "B", "sex": "boys", "hosting_country": "US"}
    for year, a, b in ((2020, 50, 50), (2021, 3, 3), (2022, 40, 12)):
        actioned([(month(year, 4), GIRLS_11_13)] * a + [(month(year, 4), b_boys)] * b)
    extract = build_extract(2020, 2022, "year")
    period_tables = [table for table in extract.tables if table.row_heading == "year"]
    hidden = {
        (table.name, row)
        for table in period_tables
        for row in range(len(table.rows) + 1)
        if table.table.hidden((row, len(table.columns)))
    }
    assert (period_tables[0].name, 1) in hidden  # 2021's 6 URLs
    assert (period_tables[0].name, 2) in hidden  # 2022's 52, hidden so 2021's stay unknown
    for table in period_tables:
        for row in {row for _name, row in hidden}:
            assert table.table.hidden((row, len(table.columns))), (table.name, row)


def test_the_threshold_is_a_setting(client: Client, researcher, history, settings) -> None:
    settings.TURNTIDE_SUPPRESSION_THRESHOLD = 3
    client.force_login(researcher)
    category = table(download(client), "category_by_year")
    assert category[1][:4] == ["2021", "60", "25", "3"]
    assert "<3" in {
        cell for line in table(download(client), "hosting_country_by_year") for cell in line
    }


def test_nothing_identifying_leaves_in_an_extract(client: Client, researcher, history) -> None:
    client.force_login(researcher)
    archive = download(client, granularity="month")
    text = b"".join(archive.read(name) for name in archive.namelist()).decode()
    assert ".example" not in text
    assert "http" not in text
    assert "7Q3X" not in text
    assert "C-" not in text  # no case codes
    assert "2021-03" in table(archive, "category_by_month")[3][0]


def test_every_download_is_audited(client: Client, researcher, history) -> None:
    client.force_login(researcher)
    download(client, granularity="quarter")
    event = Event.objects.get(action="research_extract.downloaded")
    assert event.actor == "rhea"
    assert event.details["granularity"] == "quarter"
    assert event.details["threshold"] == 10
    assert "category_by_quarter" in event.details["tables"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"first_year": 2023, "last_year": 2021}, b"the first year comes after the last"),
        ({"first_year": 1990, "last_year": 2022}, b"at most 25 years"),
        ({"first_year": 2000, "last_year": 2022, "granularity": "month"}, b"at most 10 years"),
        ({"granularity": "week"}, b"not one of the available choices"),
        ({"first_year": "twenty"}, b"Enter a whole number"),
    ],
)
def test_bad_input_gets_the_reason_and_nothing_is_audited(
    client: Client, researcher, fields: dict[str, object], message: bytes
) -> None:
    client.force_login(researcher)
    data = {"first_year": 2021, "last_year": 2022, "granularity": "year", **fields}
    response = client.post("/insights/research/", data)
    assert response.status_code == 400
    assert message in response.content
    assert not Event.objects.filter(action="research_extract.downloaded").exists()


def test_the_researcher_page_offers_the_form(client: Client, researcher) -> None:
    client.force_login(researcher)
    response = client.get("/insights/research/")
    assert response.status_code == 200
    assert b"Download the extract" in response.content


@pytest.mark.parametrize("persona", ["manager", "analyst", "administrator", "outsider"])
def test_only_researchers_download_extracts(client: Client, request, persona: str) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/insights/research/").status_code == 403
    assert (
        client.post(
            "/insights/research/", {"first_year": 2021, "last_year": 2021, "granularity": "year"}
        ).status_code
        == 403
    )


def test_an_anonymous_visitor_is_sent_to_log_in(client: Client) -> None:
    response = client.get("/insights/research/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "path",
    ["/cases/", "/insights/", "/insights/campaigns/", "/insights/annual/2021/", "/cases/appeals/"],
)
def test_a_researcher_sees_nothing_else(client: Client, researcher, path: str) -> None:
    client.force_login(researcher)
    assert client.get(path).status_code in {403, 404}


def test_a_researcher_cannot_open_the_administration(client: Client, researcher) -> None:
    client.force_login(researcher)
    response = client.get("/admin/", follow=True)
    assert b"Site administration" not in response.content
    assert response.status_code in {200, 403}
    assert response.request["PATH_INFO"] != "/admin/"
