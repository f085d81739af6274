"""cases.removal.confirm_removal: the transition table, the clock, the audit trail, the signal."""

from __future__ import annotations

from typing import Any

from tests.takedown.conftest import T0
from turntide.audit.models import Event
from turntide.cases.models import URLCase
from turntide.cases.removal import confirm_removal
from turntide.cases.signals import case_status_changed


def test_an_actioned_case_becomes_removed_at_the_time_given(actioned_case) -> None:
    case = actioned_case("http://gone.host.test/1")
    heard: list[str] = []

    def listener(status: str, **_: Any) -> None:
        heard.append(status)

    case_status_changed.connect(listener)
    try:
        assert confirm_removal(case, T0) is True
    finally:
        case_status_changed.disconnect(listener)
    case.refresh_from_db()
    assert (case.status, case.removed_at) == (URLCase.Status.REMOVED, T0)
    assert heard == [URLCase.Status.REMOVED]
    event = Event.objects.get(action="case.removed", object_code=case.code)
    assert event.details == {"removed_at": T0.isoformat()}


def test_a_case_that_changed_meanwhile_is_left_alone(actioned_case) -> None:
    case = actioned_case("http://gone.host.test/1")
    URLCase.objects.filter(pk=case.pk).update(status=URLCase.Status.ASSESSED)  # an appeal
    assert confirm_removal(case, T0) is False
    case.refresh_from_db()
    assert (case.status, case.removed_at) == (URLCase.Status.ASSESSED, None)
