"""Readable random codes (turntide.core.codes), one at a time and in batches."""

from __future__ import annotations

import re
from collections import Counter

from turntide.core.codes import ALPHABET, new_code, new_codes

SHAPE = re.compile(rf"C-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}")


def test_a_batch_of_codes_is_shaped_like_single_codes() -> None:
    batch = new_codes("C", 500)
    assert len(batch) == 500
    assert all(SHAPE.fullmatch(code) for code in batch)
    assert SHAPE.fullmatch(new_code("C"))


def test_batch_codes_use_every_character_of_the_alphabet_evenly() -> None:
    """Forty random bits, spelled five at a time: each character about 1/32 of the time."""
    counts = Counter("".join(new_codes("C", 4000)).replace("C-", "").replace("-", ""))
    assert set(counts) == set(ALPHABET)
    expected = 4000 * 8 / len(ALPHABET)  # 1,000 each
    assert all(0.8 * expected < count < 1.2 * expected for count in counts.values())
