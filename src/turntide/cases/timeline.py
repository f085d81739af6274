"""A case's story in time order: each report with the reporter's answers, and every step
the audit trail holds for the case and its appeals (claims, judgements, removal), each with
who and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from turntide.audit.models import Event
from turntide.cases.models import URLCase
from turntide.reports.models import Report

# What an audited step is called on the page; a step not named here shows its action.
STEPS = {
    "case.claimed": gettext_lazy("Claimed"),
    "case.released": gettext_lazy("Given back"),
    "case.assessed": gettext_lazy("First judgement"),
    "case.verified": gettext_lazy("Verification"),
    "case.decided": gettext_lazy("Senior analyst's decision"),
    "appeal.recorded": gettext_lazy("Appeal recorded"),
    "appeal.upheld": gettext_lazy("Appeal upheld"),
    "appeal.rejected": gettext_lazy("Appeal rejected"),
    "takedown.traced": gettext_lazy("Hosting traced"),
    "takedown.routed": gettext_lazy("Removal routed"),
    "takedown.notice": gettext_lazy("Notice sent"),
    "takedown.escalated": gettext_lazy("Removal escalated"),
    "takedown.checked": gettext_lazy("Availability checked"),
    "list.site_marked_dedicated": gettext_lazy("Whole site listed"),
    "list.site_withdrawn": gettext_lazy("Whole-site listing withdrawn"),
}
# Steps that tell a judgement, left out while verification is blind.
JUDGEMENTS = frozenset({"case.assessed", "case.verified", "case.decided"})


@dataclass(frozen=True)
class Entry:
    at: datetime
    who: str
    what: str
    details: list[str]
    free_text: str = ""


def timeline(case: URLCase, *, blind: bool = False) -> list[Entry]:
    """Every report and audited step of `case`, oldest first; `blind` leaves judgements out."""
    reports = Report.objects.filter(urls__casereport__case=case).distinct()
    entries = [_report_entry(report) for report in reports]
    appeals = list(case.appeals.values_list("code", flat=True))
    events = Event.objects.filter(
        Q(object_type="case", object_code=case.code)
        | Q(object_type="appeal", object_code__in=appeals)
    )
    if blind:
        events = events.exclude(action__in=JUDGEMENTS)
    for event in events.order_by("sequence"):
        entries.append(
            Entry(
                event.occurred_at,
                event.actor,
                str(STEPS.get(event.action, event.action)),
                _event_details(event.details),
            )
        )
    return sorted(entries, key=lambda entry: entry.at)


def _report_entry(report: Report) -> Entry:
    answers = [report.reference, report.get_channel_display()]
    if report.content_type:
        answers.append(_("saw: %(what)s") % {"what": report.get_content_type_display()})
    if report.found_where:
        answers.append(_("found: %(where)s") % {"where": report.get_found_where_display()})
    if report.immediate_danger:
        answers.append(_("a child may be in immediate danger"))
    return Entry(
        report.received_at,
        report.source or report.get_channel_display(),
        _("Report"),
        answers,
        report.description,
    )


def _event_details(details: dict[str, object]) -> list[str]:
    """The plain values an event carries that a reader can follow (outcome, status...)."""
    shown = ("outcome", "category", "status", "reason", "state", "country", "detail")
    return [f"{key}: {details[key]}" for key in shown if details.get(key) not in (None, "")]
