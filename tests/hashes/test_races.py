"""Concurrent writers to the hash list (PostgreSQL): each version is one writer's change."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.hashes.conftest import pdq
from tests.helpers import THREADS, run_at_once
from turntide.hashes.actions import checked_hash, do_add_hashes
from turntide.hashes.lists import hash_list_delta
from turntide.hashes.models import HashEntry
from turntide.lists.models import HASH_LIST
from turntide.lists.versions import current_version

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent transactions"
)


@pytest.mark.django_db(transaction=True)
def test_imports_of_the_same_hashes_at_once_list_each_hash_once(partner) -> None:
    shared = [checked_hash("pdq", pdq(n), quality=90) for n in range(50)]
    added: list[int] = [0] * THREADS

    def import_set(number: int) -> None:
        own = [checked_hash("pdq", pdq(1000 + number), quality=90)]
        added[number] = do_add_hashes("system", partner, shared + own).added

    assert run_at_once(import_set) == []
    assert sorted(added) == [1, 1, 1, 51]  # the first lists the shared set, all their own
    assert HashEntry.objects.count() == 50 + THREADS
    assert current_version(HASH_LIST) == THREADS
    assert len(hash_list_delta(0).added) == 50 + THREADS
