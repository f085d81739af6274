"""The WHATWG URL standard's conformance cases, for `browser_parseable` and as hard inputs.

The data file is kept in the repository (`tests/data/whatwg/`, see its SOURCES.md), so a plain
clone runs every case.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import pytest

from turntide.core.urls import InvalidURL, browser_parseable, canonicalize

DATA = Path(__file__).resolve().parents[1] / "data" / "whatwg" / "urltestdata.json"

CASES: list[dict[str, Any]] = [
    case for case in json.loads(DATA.read_text()) if isinstance(case, dict)
]


def test_the_data_file_holds_all_the_cases() -> None:
    assert len(CASES) == 891


@pytest.mark.parametrize("case", CASES, ids=[f"case{i}" for i in range(len(CASES))])
def test_browser_parseable_agrees_with_the_standard(case: dict[str, Any]) -> None:
    reason = browser_parseable(case["input"], base=case["base"])
    if case.get("failure"):
        assert reason, "a browser refuses this input"
    else:
        assert reason is None


def test_canonicalize_gives_a_stable_answer_or_a_reason_for_every_case() -> None:
    for case in CASES:
        with contextlib.suppress(InvalidURL):
            canonical = canonicalize(case["input"])
            assert canonicalize(canonical) == canonical, case["input"]
