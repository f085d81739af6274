"""The keyword CSV: a term that a spreadsheet would run as a formula arrives as plain text."""

from __future__ import annotations

import csv
import io

from django.test import Client

from tests.members.test_keywords import fetch
from tests.members.test_url_list import token_for
from turntide.members.keywords import do_add_keyword

FORMULA = '=HYPERLINK("http://evil.example/","open me")'


def test_a_formula_term_comes_out_quoted_and_other_cells_unchanged(client: Client, analyst) -> None:
    keyword = do_add_keyword(analyst, FORMULA, "en")
    response = fetch(client, token_for("keywords", name="Filter Vendor"), format="csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert keyword.term == FORMULA.casefold()  # terms are stored in one spelling
    assert rows == [
        ["change", "id", "term", "language"],
        ["added", str(keyword.pk), "'" + keyword.term, "en"],
    ]
