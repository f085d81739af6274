"""A researcher takes an SPSS file to published estimates in Chromium; a manager reads the
demo survey's before/after on the demo campaign's page. axe-core finds nothing serious."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pyreadstat
import pytest

from tests.browser.conftest import CHROMIUM
from tests.browser.pages import log_in, serious_accessibility_issues

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]


def write_sav(path: Path) -> None:
    """Four schools in two regions, fifteen pupils each, half boys and half girls; `aware`
    holds 1 or 0, labelled Yes and No."""
    rows = []
    for school, region, weight, aware in (
        ("n1", "north", 2.0, 5),
        ("n2", "north", 2.0, 4),
        ("s1", "south", 3.0, 8),
        ("s2", "south", 3.0, 7),
    ):
        for number in range(15):
            rows.append(
                {
                    "region": region,
                    "school": school,
                    "w": weight,
                    "aware": float(number < aware),
                    "sex": "girl" if number % 2 else "boy",
                }
            )
    pyreadstat.write_sav(
        pd.DataFrame(rows), str(path), variable_value_labels={"aware": {1.0: "Yes", 0.0: "No"}}
    )


def test_a_researcher_goes_from_a_sav_file_to_a_downloaded_table(
    demo_server: str, browser, tmp_path: Path
) -> None:
    sav = tmp_path / "awareness-2024.sav"
    write_sav(sav)
    context = browser.new_context(bypass_csp=True, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    console_errors = log_in(page, demo_server, "researcher")

    page.goto(f"{demo_server}/insights/surveys/")
    assert serious_accessibility_issues(page) == []
    page.get_by_label("Survey:", exact=True).fill("School awareness (browser test)")
    page.get_by_label("Fieldwork date of this wave").fill("2024-03-01")
    page.get_by_label("File (CSV, SPSS .sav or Stata .dta)").set_input_files(sav)
    page.get_by_role("button", name="Upload, encrypted").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="School awareness (browser test)").is_visible()
    assert "Wave of 2024-03-01 stored, encrypted." in page.content()

    page.get_by_label("Weight column").fill("w")
    page.get_by_label("Strata column").fill("region")
    page.get_by_label("Cluster (PSU) column").fill("school")
    page.get_by_role("button", name="Declare the design").click()
    page.wait_for_load_state()
    assert "Design declared" in page.content()
    assert serious_accessibility_issues(page) == []

    page.get_by_label("Column:", exact=True).fill("aware")
    page.get_by_label("Value counted (proportion)").fill("Yes")
    page.get_by_label("By (subgroups of this column)").fill("sex")
    page.get_by_role("button", name="Estimate").click()
    page.wait_for_load_state()
    table = page.locator("table.data").first
    assert table.locator("tbody tr").count() == 2  # boys and girls, thirty each
    assert page.get_by_role("img", name="aware=Yes, proportion").count() == 1
    assert serious_accessibility_issues(page) == []

    with page.expect_download() as downloading:
        page.get_by_role("link", name="Download this table as CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(downloading.value.path()).read_text())))
    assert [row["group"] for row in rows] == ["boy", "girl"]
    assert all(row["variable"] == "aware=Yes" for row in rows)
    # Each sex's share lies inside its interval.
    for row in rows:
        assert float(row["ci_low"]) < float(row["estimate"]) < float(row["ci_high"])
    assert console_errors == []
    context.close()


def test_a_manager_sees_the_demo_surveys_before_after_on_the_campaign(
    demo_server: str, browser
) -> None:
    context = browser.new_context(bypass_csp=True, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    console_errors = log_in(page, demo_server, "manager")
    page.goto(f"{demo_server}/insights/campaigns/")
    page.get_by_role("link", name="Think before you share (demo)").click()
    page.wait_for_load_state()
    evidence = page.locator("section.survey-evidence")
    text = evidence.inner_text()
    assert "Knowing where to report rose by" in text
    assert "points (95% CI" in text
    assert "new self-generated URLs" in text
    assert serious_accessibility_issues(page) == []
    assert console_errors == []
    context.close()
