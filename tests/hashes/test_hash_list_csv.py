"""The hash list CSV is a feed for programs: every value exactly as in the JSON, even one a
spreadsheet would read as a formula (escaping is for downloads people open)."""

from __future__ import annotations

import csv

from django.test import Client

from tests.hashes.conftest import pdq
from tests.hashes.test_hashes_api import bearer, token_for
from turntide.hashes.actions import do_create_source

NAME = "@SUM(1+1)*cmd|' /C calc'!A0"


def test_a_formula_source_name_comes_out_as_in_the_json(client: Client, add) -> None:
    add(("pdq", pdq(1)), source=do_create_source("system", NAME))
    headers = bearer(token_for("hash-list"))
    as_json = client.get("/api/v1/lists/hashes", headers=headers).json()
    response = client.get("/api/v1/lists/hashes.csv", headers=headers)
    rows = list(csv.reader(response.content.decode().splitlines()[1:]))
    assert as_json["added"][0]["source"] == NAME
    assert rows[1] == ["added", "pdq", pdq(1), "B", NAME, "31"]
