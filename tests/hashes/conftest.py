from __future__ import annotations

from collections.abc import Callable

import pytest

from turntide.hashes.actions import NewHash, checked_hash, do_add_hashes, do_create_source
from turntide.hashes.models import HashSource

# Digests of a few synthetic bytes: real-looking values that are not degenerate (an empty
# file's digests are refused from the list).
MD5 = "2240baff51c700a73edc563e2caffc56"  # md5(b"synthetic test file")
SHA1 = "4129b2d709ebfa30eef7a7c22f3f93479c7848a5"  # sha1(b"synthetic test file")


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
