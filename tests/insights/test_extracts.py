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
from turntide.insights.statistics import DIMENSIONS

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


def rows_of(archive: zipfile.ZipFile, name: str) -> list[list[str]]:
    path = next(n for n in archive.namelist() if n.endswith(f"/{name}.csv"))
    return list(csv.reader(io.StringIO(archive.read(path).decode())))


def table(archive: zipfile.ZipFile, name: str, year: int = 2021) -> list[list[str]]:
    """The block of `year` in the file of one breakdown, under the file's heading: its total
    row named `total`, and an audience table without its year column."""
    heading, *rows = rows_of(archive, name)
    if heading[0] == "year" and heading[1] == "age_group":
        return [heading[1:]] + [row[1:] for row in rows if row[0] == str(year)]
    mine = [row for row in rows if row[0].split("-")[0].split(" ")[0] == str(year)]
    return [heading] + [
        ["total" if row[0].endswith(" total") else row[0], *row[1:]] for row in mine
    ]


def readme(archive: zipfile.ZipFile) -> str:
    return archive.read(next(n for n in archive.namelist() if n.endswith("README.md"))).decode()


def test_a_researcher_downloads_tables_with_a_dictionary(
    client: Client, researcher, history
) -> None:
    client.force_login(researcher)
    archive = download(client)
    names = {name.split("/", 1)[1] for name in archive.namelist()}
    assert names == {
        "README.md",
        "dictionary.csv",
        *(f"{name}_by_year.csv" for name in DIMENSIONS),
        "self_generated_by_age_group_and_sex.csv",
    }
    category = table(archive, "category_by_year")
    assert category[0] == ["year", "A", "B", "C", "total"]
    assert category[1] == ["2021", "60", "x", "<10", "88"]
    text = readme(archive)
    assert "<10" in text
    assert "actioned URLs" in text
    assert "`not_recorded`" in text
    dictionary = archive.read(next(n for n in archive.namelist() if n.endswith("dictionary.csv")))
    assert b"category_by_year.csv,year," in dictionary
    assert b"self_generated_by_age_group_and_sex.csv,year," in dictionary


def test_each_breakdown_is_one_table_with_a_row_per_year(
    client: Client, researcher, history
) -> None:
    client.force_login(researcher)
    archive = download(client)
    assert rows_of(archive, "category_by_year") == [
        ["year", "A", "B", "C", "total"],
        ["2021", "60", "x", "<10", "88"],
        ["2022", "62", "x", "<10", "90"],
    ]
    countries = rows_of(archive, "hosting_country_by_year")
    assert countries[0] == ["year", "NL", "US", "IS", "total"]
    assert countries[1][3] == "0"  # no URL in Iceland in 2021
    audience = rows_of(archive, "self_generated_by_age_group_and_sex")
    assert audience[0][:2] == ["year", "age_group"]
    assert [row[:2] for row in audience if row[1] == "total"] == [
        ["2021", "total"],
        ["2022", "total"],
    ]
    quarters = rows_of(download(client, granularity="quarter"), "sex_by_quarter")
    assert [row[0] for row in quarters[1:6]] == [*(f"2021-Q{q}" for q in "1234"), "2021 total"]


def test_small_cells_are_shown_as_under_the_threshold_with_complementary_cells(
    client: Client, researcher, history
) -> None:
    client.force_login(researcher)
    rows = table(download(client), "category_by_year")
    hidden = {"<10", "x"}
    for line in rows[1:]:  # every row with a hidden cell has another hidden entry
        assert sum(cell in hidden for cell in line[1:]) != 1
    # Down each column too: a year's row and its totals (which a file by year leaves out, as
    # they repeat that row).
    grid = next(t for t in build_extract(2021, 2021, "year").tables if t.name == "category_by_year")
    for column in zip(*grid.table.shown(), strict=True):
        assert sum(cell in hidden for cell in column) != 1
    # Iceland's two URLs are never published, nor worked out from the totals.
    countries = table(download(client), "hosting_country_by_year", 2022)
    iceland = countries[0].index("IS")
    assert [line[iceland] for line in countries[1:]] == ["<10"]


def test_a_total_hidden_in_one_table_is_hidden_in_every_table(db) -> None:
    """URLs per year are every period table's row totals: hidden in one, hidden in all."""
    b_boys = {**GIRLS_11_13, "category": "B", "sex": "boys", "hosting_country": "US"}
    for year, a, b in ((2020, 50, 50), (2021, 3, 3), (2022, 40, 12)):
        actioned([(month(year, 4), GIRLS_11_13)] * a + [(month(year, 4), b_boys)] * b)
    extract = build_extract(2020, 2022, "year")
    for year in (2020, 2021, 2022):
        period_tables = [t for t in extract.tables if t.year == year and t.row_heading == "year"]
        assert len(period_tables) == 6
        hidden = {
            row
            for table in period_tables
            for row in range(len(table.rows) + 1)
            if table.table.hidden((row, len(table.columns)))
        }
        assert hidden == ({0, 1} if year == 2021 else set()), year  # 2021's 6 URLs
        for table in period_tables:
            for row in hidden:
                assert table.table.hidden((row, len(table.columns))), (table.name, row)


def test_a_sparse_year_is_protected_by_hiding_more_not_by_failing(
    client: Client, researcher
) -> None:
    """By quarter, category counts [[0,0,2],[0,0,0],[12,0,0],[1,1,12]] leave no rectangle on
    their own; hiding the quarters' totals (hidden in the other tables) protects them."""
    rows = [(month(2023, 2), {**GIRLS_11_13, "category": "C"})] * 2
    rows += [(month(2023, 8), GIRLS_11_13)] * 12
    rows += [(month(2023, 11), {**GIRLS_11_13, "category": c}) for c in "AB"]
    rows += [(month(2023, 12), {**GIRLS_11_13, "category": "C"})] * 12
    actioned(rows)
    client.force_login(researcher)
    archive = download(client, first_year=2023, last_year=2023, granularity="quarter")
    assert table(archive, "category_by_quarter", 2023) == [
        ["quarter", "A", "B", "C", "total"],
        ["2023-Q1", "0", "0", "<10", "<10"],
        ["2023-Q2", "0", "0", "0", "0"],
        ["2023-Q3", "x", "0", "0", "x"],
        ["2023-Q4", "<10", "<10", "x", "x"],
        ["total", "13", "<10", "14", "x"],
    ]
    assert table(archive, "sex_by_quarter", 2023)[1:] == [
        ["2023-Q1", "<10", "0", "0", "0", "<10"],
        ["2023-Q2", "0", "0", "0", "0", "0"],
        ["2023-Q3", "x", "0", "0", "0", "x"],
        ["2023-Q4", "x", "0", "0", "0", "x"],
        ["total", "x", "0", "0", "0", "x"],
    ]


def test_a_table_too_sparse_to_protect_goes_out_with_every_count_hidden(
    client: Client, researcher
) -> None:
    """Category counts [[0,1,0],[5,11,2],[0,1,0],[1,0,1]] by quarter cannot be protected cell
    by cell even with the quarters' totals hidden: the researcher gets them all hidden."""
    by_quarter = {2: "B", 8: "B", 11: "AC"}
    rows = [
        (month(2023, m), {**GIRLS_11_13, "category": c}) for m, cs in by_quarter.items() for c in cs
    ]
    rows += [(month(2023, 5), {**GIRLS_11_13, "category": c}) for c in "A" * 5 + "B" * 11 + "CC"]
    actioned(rows)
    client.force_login(researcher)
    archive = download(client, first_year=2023, last_year=2023, granularity="quarter")
    assert table(archive, "category_by_quarter", 2023)[1:] == [
        ["2023-Q1", "0", "<10", "0", "<10"],
        ["2023-Q2", "<10", "x", "<10", "x"],
        ["2023-Q3", "0", "<10", "0", "<10"],
        ["2023-Q4", "<10", "0", "<10", "<10"],
        ["total", "<10", "x", "<10", "x"],
    ]
    assert (
        "| `category_by_quarter.csv` | quarter | Actioned URLs by severity category and "
        "quarter; `total` (2023: too few counts to protect cell by cell, so every count and "
        "total above 0 is hidden) |" in readme(archive)
    )


def test_a_year_without_data_gives_tables_of_zeros(client: Client, researcher) -> None:
    client.force_login(researcher)
    archive = download(client, first_year=2019, last_year=2019)
    assert table(archive, "hosting_country_by_year", 2019) == [["year", "total"], ["2019", "0"]]
    assert table(archive, "category_by_year", 2019)[1] == ["2019", "0", "0", "0", "0"]


@pytest.mark.parametrize("granularity", ["year", "quarter", "month"])
def test_overlapping_extracts_publish_the_same_cells_for_their_common_years(
    history, granularity: str
) -> None:
    """Otherwise 2021-2022 minus 2021 would give 2022's hidden cells back."""
    actioned([(month(2023, 4), {**GIRLS_11_13, "category": "C", "sex": "boys"})] * 4)
    extracts = [
        build_extract(first, last, granularity) for first, last in ((2021, 2022), (2022, 2023))
    ]
    common = [
        {(t.name, t.rows): t.table.shown() for t in extract.tables if t.year == 2022}
        for extract in extracts
    ]
    assert len(common[0]) == 7
    assert common[0] == common[1]
    assert all(t.year in {2021, 2022} for t in extracts[0].tables)


def test_the_threshold_is_a_setting(client: Client, researcher, history, settings) -> None:
    settings.TURNTIDE_SUPPRESSION_THRESHOLD = 3
    client.force_login(researcher)
    category = table(download(client), "category_by_year")
    assert category[1][:4] == ["2021", "60", "25", "3"]
    assert "<3" in {
        cell for line in table(download(client), "hosting_country_by_year", 2022) for cell in line
    }


def test_nothing_identifying_leaves_in_an_extract(client: Client, researcher, history) -> None:
    client.force_login(researcher)
    archive = download(client, granularity="month")
    text = b"".join(archive.read(name) for name in archive.namelist()).decode()
    assert ".example" not in text
    assert "http" not in text
    assert "7Q3X" not in text
    assert "C-" not in text  # no case codes
    assert table(archive, "category_by_month")[3][0] == "2021-03"


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
