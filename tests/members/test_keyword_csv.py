"""The keyword CSV is a feed for programs: a term arrives exactly as in the JSON, even one a
spreadsheet would read as a formula (escaping is for downloads people open)."""

from __future__ import annotations

import csv

from django.test import Client

from tests.members.test_keywords import fetch
from tests.members.test_url_list import token_for
from turntide.members.keywords import do_add_keyword

FORMULA = '=HYPERLINK("http://evil.example/","open me")'


def test_a_formula_term_comes_out_as_in_the_json(client: Client, analyst) -> None:
    keyword = do_add_keyword(analyst, FORMULA, "en")
    token = token_for("keywords", name="Filter Vendor")
    response = client.get(
        "/api/v1/lists/keywords.csv", headers={"Authorization": f"Bearer {token}"}
    )
    lines = response.content.decode().splitlines()
    assert keyword.term == FORMULA.casefold()  # terms are stored in one spelling
    assert fetch(client, token).json()["added"][0]["term"] == keyword.term
    assert response["X-Turntide-List-Version"] == lines[0].split("version=")[1].split()[0]
    assert list(csv.reader(lines[1:])) == [
        ["change", "id", "term", "language"],
        ["added", str(keyword.pk), keyword.term, "en"],
    ]
