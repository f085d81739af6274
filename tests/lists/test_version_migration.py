"""members 0006 and hashes 0003: every list's version row moves to the `lists` app, and back."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

LISTS = ("lists", "0001_list_versions")
BEFORE = [
    LISTS,
    ("members", "0005_keyword_language_tags"),
    ("hashes", "0002_index_entries_by_value"),
]
AFTER = [
    LISTS,
    ("members", "0006_list_versions_move_to_lists"),
    ("hashes", "0003_list_version_moves_to_lists"),
]


def migrate(targets: list[tuple[str, str]]):
    """Migrate to `targets`; the models as they stand there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_versions_move_with_their_publication_times_and_back() -> None:
    at = timezone.now()
    old = migrate(BEFORE)
    try:
        members_versions = old.get_model("members", "ListVersion")
        members_versions.objects.create(name="urls", version=12, published_at=at)
        members_versions.objects.create(name="keywords", version=3, published_at=None)
        old.get_model("hashes", "HashListVersion").objects.create(version=5, published_at=at)

        new = migrate(AFTER)
        rows = new.get_model("lists", "ListVersion").objects.values_list(
            "name", "version", "published_at"
        )
        assert sorted(rows) == [("hashes", 5, at), ("keywords", 3, None), ("urls", 12, at)]

        old = migrate(BEFORE)
        assert sorted(
            old.get_model("members", "ListVersion").objects.values_list("name", "version")
        ) == [("keywords", 3), ("urls", 12)]
        hashes = old.get_model("hashes", "HashListVersion").objects.get()
        assert (hashes.pk, hashes.version, hashes.published_at) == (1, 5, at)
        assert not old.get_model("lists", "ListVersion").objects.exists()
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
