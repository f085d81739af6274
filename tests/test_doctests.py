"""Every example written in a docstring is run: an example that no longer holds is a failure.

Modules are found by their `>>>` lines, so a new module's examples are run without a list to
keep up to date.
"""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

import turntide

PACKAGE = Path(turntide.__file__).resolve().parent
MODULES = sorted(
    ".".join(("turntide", *path.relative_to(PACKAGE).with_suffix("").parts))
    for path in PACKAGE.rglob("*.py")
    if "migrations" not in path.parts and ">>> " in path.read_text(encoding="utf-8")
)


def test_the_examples_are_found() -> None:
    assert {"turntide.core.urls", "turntide.core.hashing", "turntide.insights.charts"} <= set(
        MODULES
    )


@pytest.mark.parametrize("name", MODULES)
def test_the_examples_of_the_module_hold(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
