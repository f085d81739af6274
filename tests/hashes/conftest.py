from __future__ import annotations

from collections.abc import Callable

import pytest

from turntide.hashes.actions import NewHash, checked_hash, do_add_hashes, do_create_source
from turntide.hashes.models import HashSource


def pdq(seed: int) -> str:
    """A synthetic PDQ hash: 64 hexadecimal digits from a seed."""
    import hashlib

    return hashlib.sha256(str(seed).encode()).hexdigest()


def flip(hex_hash: str, bits: int) -> str:
    """The hash with its lowest `bits` bits inverted: exactly that Hamming distance away."""
    return f"{int(hex_hash, 16) ^ ((1 << bits) - 1):064x}"


@pytest.fixture
def partner(db: None) -> HashSource:
    return do_create_source("system", "Partner Hotline", licence="partner agreement 2026")


@pytest.fixture
def add(partner: HashSource) -> Callable[..., object]:
    """List hashes given as (type, value) pairs (PDQ with quality 90) from a source."""

    def add_hashes(*pairs: tuple[str, str], source: HashSource = partner, category: str = "B"):
        items: list[NewHash] = [
            checked_hash(kind, value, category=category, quality=90 if kind == "pdq" else None)
            for kind, value in pairs
        ]
        return do_add_hashes("system", source, items)

    return add_hashes
