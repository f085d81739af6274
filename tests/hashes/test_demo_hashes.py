"""The demo's synthetic partner set."""

from __future__ import annotations

import pytest

from turntide.hashes.demo import DEMO_IMAGES, seed_demo_hashes
from turntide.hashes.models import HashEntry


@pytest.mark.django_db
def test_the_demo_partner_set_is_seeded_once() -> None:
    assert seed_demo_hashes() == 3 * DEMO_IMAGES
    assert seed_demo_hashes() == 0
    assert set(HashEntry.objects.values_list("type", flat=True)) == {"md5", "sha1", "pdq"}
