"""Background work of the cases app."""

from __future__ import annotations

from django.tasks import task

from turntide.cases.models import URLCase
from turntide.cases.transitions import WORKABLE_STATUSES
from turntide.reports.tasks import send_outcome_feedback


@task()
def feedback_when_decided(report_id: int) -> bool:
    """Send a reporter's outcome feedback once every address of their report is decided.

    Checked here, after the deciding transactions committed: two cases of one report decided
    at the same moment each saw the other still open, but this check sees both decided.
    """
    open_cases = URLCase.objects.filter(
        case_reports__reported_url__report_id=report_id, status__in=WORKABLE_STATUSES
    )
    if open_cases.exists():
        return False
    return bool(send_outcome_feedback.call(report_id))
