"""figures.csv: a host name is internet-controlled, so it cannot start a spreadsheet formula."""

from __future__ import annotations

import csv
import io

from django.test import Client

from tests.takedown.test_figures import removal

HOST = "-2+3+cmd.example"


def test_a_host_that_reads_as_a_formula_comes_out_quoted(client: Client, manager) -> None:
    removal(1, HOST, 64501, "GB", "home", 2.5)
    client.force_login(manager)
    response = client.get("/takedown/figures.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_dimension = {row["dimension"]: row for row in rows}
    assert by_dimension["host"] == {
        "dimension": "host",
        "key": "'" + HOST,
        "removed": "1",
        "median_hours": "2.50",
        "p90_hours": "2.50",
    }
    assert by_dimension["asn"]["key"] == "AS64501"
