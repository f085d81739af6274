"""The hash list CSV: a source name cannot start a spreadsheet formula; hashes stay as they are."""

from __future__ import annotations

import csv
import io

from django.test import Client

from tests.hashes.conftest import pdq
from tests.hashes.test_hashes_api import bearer, token_for
from turntide.hashes.actions import do_create_source

NAME = "@SUM(1+1)*cmd|' /C calc'!A0"


def test_a_formula_source_name_comes_out_quoted(client: Client, add) -> None:
    add(("pdq", pdq(1)), source=do_create_source("system", NAME))
    response = client.get(
        "/api/v1/lists/hashes", {"format": "csv"}, headers=bearer(token_for("hash-list"))
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1] == ["added", "pdq", pdq(1), "B", "'" + NAME, "31"]
