"""`next_version`: one writer of a list at a time, and a new version only when rows changed."""

from __future__ import annotations

import pytest

from turntide.lists.versions import current_version, next_version, published


@pytest.mark.django_db
def test_a_writer_that_changed_nothing_keeps_the_version() -> None:
    with next_version("urls") as version:
        version.changed = True
    with next_version("urls") as unchanged:
        pass
    assert (version.number, unchanged.number, unchanged.published) == (1, 2, 1)
    assert published("urls") == (1, version.at)


@pytest.mark.django_db
def test_a_writer_that_fails_publishes_nothing() -> None:
    def write() -> None:
        with next_version("keywords") as version:
            version.changed = True
            raise RuntimeError("the write failed")

    with pytest.raises(RuntimeError):
        write()
    assert current_version("keywords") == 0


@pytest.mark.django_db
def test_each_list_counts_its_own_versions() -> None:
    for name in ("urls", "urls", "hashes"):
        with next_version(name) as version:
            version.changed = True
    assert (current_version("urls"), current_version("hashes")) == (2, 1)
