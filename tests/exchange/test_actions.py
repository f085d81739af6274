"""Actions reach ICCAM once a case is removed, unavailable or not illegal here: once, never in
the round that inserted the item, only while ICCAM assigns the item to us."""

from __future__ import annotations

from datetime import UTC, datetime

from turntide.cases.actions import do_assess
from turntide.cases.models import Assessment, URLCase
from turntide.exchange.models import Call

REMOVED_AT = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)


def remove(case: URLCase) -> None:
    """As the re-check worker marks a case removed (offline twice in a row)."""
    URLCase.objects.filter(pk=case.pk).update(status="removed", removed_at=REMOVED_AT)


def test_a_removed_case_we_inserted_gets_removed_once_when_assigned_to_us(
    iccam, sync, judge
) -> None:
    case = judge("http://home.example/1", outcome="criminal", category="B", hosting_country="GB")
    remove(case)  # removed before the first round: still not in the round that inserts it
    assert sync() == 0
    assert iccam.writes("POST", "rest/Content/") == []
    assert sync() == 0
    [content] = iccam.contents.values()
    assert content.actions == [
        {"actionType": 3, "actioningAnalystName": "ada", "actionDate": "2026-03-05T12:00:00Z"}
    ]
    assert sync() == 0
    assert len(content.actions) == 1
    assert Call.objects.get(operation="action").status == "done"


def test_no_action_for_an_item_assigned_to_another_country(iccam, sync, judge) -> None:
    case = judge("http://abroad.example/1", outcome="criminal", category="B", hosting_country="NL")
    assert sync() == 0
    remove(case)
    assert sync() == 0
    assert sync() == 0
    [content] = iccam.contents.values()
    assert content.actions == []
    assert not Call.objects.filter(operation="action").exists()


def test_an_imported_item_judged_not_illegal_gets_not_illegal_with_a_reason(
    iccam, sync, analyst
) -> None:
    content = iccam.add_content("http://partner.example/9", "GB", "2026-03-01T10:00:00+00:00")
    assert sync() == 0
    case = URLCase.objects.get()
    decided = do_assess(analyst, case, Assessment(outcome="not_illegal"))
    assert sync() == 0
    assert content.actions == [
        {
            "actionType": 6,
            "actioningAnalystName": "ada",
            "actionDate": decided.assessed_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "reasonId": 16,
        }
    ]


def test_an_action_already_at_iccam_is_not_posted_again(iccam, sync, analyst) -> None:
    content = iccam.add_content("http://gone.example/2", "GB", "2026-03-01T10:00:00+00:00")
    assert sync() == 0
    do_assess(analyst, URLCase.objects.get(), Assessment(outcome="unavailable"))
    content.actions.append({"actionType": 4, "actionDate": "2026-03-02T00:00:00Z"})
    assert sync() == 0
    assert len(content.actions) == 1
    assert Call.objects.get(operation="action").answer == {"found": "already at ICCAM"}
