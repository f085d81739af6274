"""No two migrations of one app share a number, but for the pair that has already shipped.

Two migrations with one number both run (each names its parent), but the numbers stop telling
the order, and a third branch adding the next number meets two parents. The shipped pair
cannot be renumbered: databases have recorded their names.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import turntide

ROOT = Path(turntide.__file__).parent
SHIPPED_DUPLICATES = {("cases", "0004")}  # 0004_assessment_started_at, 0004_classification_schemes


def test_no_two_migrations_of_an_app_share_a_number() -> None:
    numbers = Counter(
        (path.parent.parent.name, match[1])
        for path in ROOT.glob("*/migrations/*.py")
        if (match := re.match(r"(\d{4})_", path.name))
    )
    assert {number for number, count in numbers.items() if count > 1} == SHIPPED_DUPLICATES
