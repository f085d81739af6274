"""The hash list: checked entries, versions, withdrawals, deltas (like the URL list)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hashes.conftest import MD5, flip, pdq
from turntide.audit.models import Event
from turntide.core.hashing import InvalidHash
from turntide.core.hashlist import HashList
from turntide.hashes.actions import (
    checked_hash,
    do_create_source,
    do_reconcile_case_hashes,
    do_set_source_threshold,
    do_withdraw_hashes,
)
from turntide.hashes.lists import hash_list_delta, match_hashes
from turntide.hashes.models import HashEntry
from turntide.lists.models import HASH_LIST
from turntide.lists.versions import current_version


def test_a_pdq_hash_below_the_quality_threshold_is_refused_with_the_reason() -> None:
    with pytest.raises(InvalidHash, match="quality 49 is below 50"):
        checked_hash("pdq", pdq(1), quality=49)
    with pytest.raises(InvalidHash, match="needs its quality"):
        checked_hash("pdq", pdq(1))
    assert checked_hash("pdq", pdq(1).upper(), quality=50).value == pdq(1)


def test_the_quality_threshold_is_a_setting(settings) -> None:
    settings.TURNTIDE_PDQ_MIN_QUALITY = 80
    with pytest.raises(InvalidHash, match="below 80"):
        checked_hash("pdq", pdq(1), quality=79)


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("md5", "xyz", "32 hexadecimal digits"),
        ("sha1", MD5, "40 hexadecimal digits"),
        ("tlsh", MD5, "unknown hash type"),
        ("photodna", "", "photodna hash is 1 to"),
    ],
)
def test_malformed_hashes_are_refused(kind: str, value: str, message: str) -> None:
    with pytest.raises(InvalidHash, match=message):
        checked_hash(kind, value)


def test_an_unknown_category_is_refused() -> None:
    with pytest.raises(InvalidHash, match="category 'D'"):
        checked_hash("md5", MD5, category="D")


def test_adding_bumps_the_version_once_and_skips_what_is_listed(add) -> None:
    first = add(("md5", MD5), ("pdq", pdq(1)))
    assert (first.version, first.added) == (1, 2)
    again = add(("md5", MD5.upper()), ("sha1", "a" * 40))
    assert (again.version, again.added, again.already_listed) == (2, 1, 1)
    assert add(("md5", MD5)).version == 2  # nothing new: no new version
    assert Event.objects.filter(action="hashes.added").count() == 2


def test_a_false_positive_leaves_the_next_delta_and_is_never_listed_again(add) -> None:
    add(("pdq", pdq(1)), ("md5", MD5))
    entry = HashEntry.objects.filter(type="pdq")
    assert do_withdraw_hashes("sam", entry, HashEntry.Withdrawal.FALSE_POSITIVE, "a logo") == 1
    delta = hash_list_delta(1)
    assert delta.version == 2
    assert delta.removed == [{"type": "pdq", "value": pdq(1)}]
    assert [e["type"] for e in hash_list_delta(0).added] == ["md5"]
    event = Event.objects.get(action="hashes.withdrawn")
    assert (event.actor, event.details["reason"], event.details["note"]) == (
        "sam",
        "false_positive",
        "a logo",
    )
    kept = add(("pdq", pdq(1)))
    assert (kept.kept_off, kept.added, current_version(HASH_LIST)) == (1, 0, 2)


def test_a_new_source_threshold_reaches_members_as_a_delta(add, partner) -> None:
    add(("pdq", pdq(1)))
    assert hash_list_delta(0).added[0]["threshold"] == 31
    version = do_set_source_threshold("admin", partner, 12)
    delta = hash_list_delta(version - 1)
    assert delta.removed == []  # replaced, not gone: the new details are in `added`
    assert [(e["value"], e["threshold"]) for e in delta.added] == [(pdq(1), 12)]
    assert Event.objects.filter(action="hashsource.threshold_changed").exists()


def test_matching_honours_each_sources_threshold(add, partner) -> None:
    strict = do_create_source("system", "Strict Partner", pdq_threshold=8)
    add(("pdq", pdq(1)))
    add(("pdq", pdq(2)), source=strict)
    report = match_hashes(
        [
            ("pdq", flip(pdq(1), 20)),
            ("pdq", flip(pdq(2), 20)),
            ("pdq", flip(pdq(2), 8)),
            ("md5", MD5),
            ("md5", "bad"),
        ]
    )
    found = [[(m["source"], m["distance"]) for m in a.matches] for a in report.answers]
    assert found[:4] == [[("Partner Hotline", 20)], [], [("Strict Partner", 8)], []]
    assert report.answers[4].error
    assert report.version == current_version(HASH_LIST)


def test_exact_types_match_exactly(add) -> None:
    add(("md5", MD5), ("photodna", "opaque,1,2,3"))
    answers = match_hashes(
        [("md5", MD5.upper()), ("photodna", "opaque,1,2,3"), ("sha1", MD5 + "00000000")]
    ).answers
    assert [a.matches for a in answers] == [
        [{"type": "md5", "distance": 0, "category": "B", "source": "Partner Hotline"}],
        [{"type": "photodna", "distance": 0, "category": "B", "source": "Partner Hotline"}],
        [],
    ]


def test_the_hashes_of_a_case_no_longer_criminal_are_withdrawn(partner, reported_case) -> None:
    from turntide.hashes.actions import do_add_hashes

    reported_case.status = "actioned"
    reported_case.save()
    do_add_hashes("system", partner, [checked_hash("md5", MD5)], case=reported_case)
    assert do_reconcile_case_hashes() == 0
    type(reported_case).objects.filter(pk=reported_case.pk).update(status="assessed")
    assert do_reconcile_case_hashes() == 1
    assert HashEntry.objects.get().withdrawal_reason == "case_not_criminal"


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    steps=st.lists(
        st.tuples(st.integers(0, 5), st.sampled_from(["add", "withdraw", "threshold"])),
        min_size=1,
        max_size=12,
    )
)
def test_snapshot_v_plus_every_delta_since_v_is_the_current_snapshot(steps) -> None:
    from turntide.hashes.actions import do_add_hashes
    from turntide.hashes.models import HashSource

    source, _ = HashSource.objects.get_or_create(name=f"Property {len(steps)}")
    HashEntry.objects.all().delete()
    hashes = [checked_hash("pdq", pdq(n), quality=90) for n in range(6)]

    def snapshot() -> dict[tuple[str, str], dict]:
        return {(e["type"], e["value"]): e for e in hash_list_delta(0).added}

    snapshots = {current_version(HASH_LIST): snapshot()}
    for index, step in steps:
        if step == "add":
            do_add_hashes("system", source, [hashes[index]])
        elif step == "withdraw":
            entries = HashEntry.objects.filter(value=hashes[index].value)
            do_withdraw_hashes("system", entries, HashEntry.Withdrawal.SOURCE_RETRACTED)
        else:
            do_set_source_threshold("system", source, index * 5)
        snapshots[current_version(HASH_LIST)] = snapshot()
    current = snapshots[current_version(HASH_LIST)]
    for version, old in snapshots.items():
        delta = hash_list_delta(version)
        rebuilt = dict(old)
        for entry in delta.removed:
            rebuilt.pop((entry["type"], entry["value"]))
        rebuilt.update({(e["type"], e["value"]): e for e in delta.added})
        assert rebuilt == current
        # The member's client, fed the same snapshot and delta, holds the same list.
        member = HashList.from_snapshot(
            {"version": version, "added": [*old.values()], "removed": []}
        )
        member.apply(
            {"version": delta.version, "added": delta.added, "removed": delta.removed},
            since=version,
        )
        latest = HashList.from_snapshot({"version": 1, "added": [*current.values()], "removed": []})
        assert sorted(member) == sorted(latest)


def test_a_changed_judgement_queues_the_reconciliation(
    partner, reported_case, django_capture_on_commit_callbacks
) -> None:
    from django_tasks_db.models import DBTaskResult

    from turntide.cases.signals import case_status_changed
    from turntide.hashes.actions import do_add_hashes
    from turntide.hashes.tasks import reconcile_case_hashes

    reported_case.status = "actioned"
    reported_case.save()
    do_add_hashes("system", partner, [checked_hash("md5", MD5)], case=reported_case)
    reported_case.status = "assessed"
    reported_case.save()
    with django_capture_on_commit_callbacks(execute=True):
        case_status_changed.send(sender=type(reported_case), case=reported_case, status="assessed")
    assert DBTaskResult.objects.filter(task_path__endswith="reconcile_case_hashes").exists()
    assert reconcile_case_hashes.call(reported_case.pk) == 1
    assert hash_list_delta(1).removed == [{"type": "md5", "value": MD5}]
