"""One exchange round with ICCAM, in the order of INHOPE's flow: export, import, actions.

Each write is stored before it is sent and settled by its answer (exchange.actions), so a
round that dies anywhere is taken up by the next one with nothing sent twice and nothing
lost. A read that fails is noted in the round and tried again next round; no answer at all
ends the round (`Unreachable`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils.dateparse import parse_datetime

from turntide.cases.models import Assessment, URLCase
from turntide.exchange.actions import (
    OPEN,
    do_close_round,
    do_import_item,
    do_note_assignment,
    do_open_round,
    do_send_again,
    do_settle_call,
    do_store_inserted_items,
    do_take_call,
)
from turntide.exchange.client import Answer, ExchangeConfig, ExchangeError, Session, Unreachable
from turntide.exchange.models import Call, ExchangedItem, Round
from turntide.exchange.outgoing import action_body, final_state, insert_body
from turntide.exchange.vocabulary import UnmappedValue, iccam_id, names
from turntide.reports.actions import InvalidReport

PAGE_SIZE = 200  # the most ICCAM answers at once

__all__ = ["run_round"]


def run_round(config: ExchangeConfig) -> Round:
    """Log in and exchange once; raises `ExchangeError` (the round stored as failed) when ICCAM
    refused the login or stopped answering."""
    exchange = Exchange(Session(config), config.country, do_open_round())
    try:
        exchange.session.login()
        exchange.export()
        exchange.import_items()
        exchange.send_actions()
    except ExchangeError as error:
        do_close_round(exchange.round, exchange.problems, str(error))
        raise
    return do_close_round(exchange.round, exchange.problems)


@dataclass
class Exchange:
    session: Session
    country: str
    round: Round
    problems: list[str] = field(default_factory=list)

    def send(
        self, call: Call, method: str, path: str, body: Any = None, **params: Any
    ) -> Answer | None:
        """Send a taken write and settle it by its answer; without one, it stays unconfirmed."""
        try:
            answer = self.session.call(method, path, body, params or None)
        except Unreachable as error:
            do_settle_call(call, Call.Status.UNCONFIRMED, None, {"error": str(error)})
            raise
        except ExchangeError as error:  # the login was refused before the write was taken
            do_settle_call(call, Call.Status.RETRY, None, {"error": str(error)})
            raise
        if answer.ok:
            do_settle_call(call, Call.Status.DONE, answer.status, answer.body)
        else:
            status = Call.Status.FAILED if answer.final else Call.Status.RETRY
            do_settle_call(call, status, answer.status, answer.body)
            self.problems.append(f"{call.key}: {answer.error_text()}")
        return answer

    def read(self, path: str, **params: Any) -> Any:
        """A GET's body, or None (noted) when ICCAM did not answer it well."""
        answer = self.session.call("GET", path, params=params or None)
        if not answer.ok:
            self.problems.append(f"GET {path}: {answer.error_text()}")
            return None
        return answer.body

    # Export -------------------------------------------------------------------------------

    def export(self) -> None:
        """Insert each case judged criminal by our analysts, once, then map its content ids."""
        for assessment in judgements_to_export():
            case = assessment.case
            try:
                body = insert_body(case, assessment, case.hosting_traces.last())
            except UnmappedValue as error:
                self.problems.append(f"{case.code}: {error}")
                continue
            call = do_take_call(self.round, f"insert:{case.code}", Call.Operation.INSERT, case)
            if call is not None:
                self.send(call, "POST", "reports", body)
        for call in inserts_to_map():
            self.map_contents(call)
        lost = Call.objects.filter(operation=Call.Operation.INSERT, status__in=OPEN)
        for code in lost.values_list("case__code", flat=True):
            self.problems.append(
                f"insert:{code}: the answer was lost; check ICCAM for the reference {code}"
            )

    def map_contents(self, call: Call) -> None:
        report_id = report_id_of(call.answer)
        if report_id is None:
            self.problems.append(f"{call.key}: ICCAM's answer names no report id")
            return
        report = self.read(f"Reports/{report_id}")
        if isinstance(report, dict):
            contents = [int(item["contentId"]) for item in report.get("reportContents", [])]
            do_store_inserted_items(self.round, call, report_id, contents)

    # Import -------------------------------------------------------------------------------

    def import_items(self) -> None:
        """Take in the items ICCAM assigned to our country that carry no reference yet, and
        claim each with its case's code."""
        cursor = last_cursor()
        while True:
            page = self.read("Content/no-reference", **queue_params(cursor))
            if not isinstance(page, list):
                break
            settled_up_to = cursor
            settled = True
            for entry in page:
                done, assigned_at = self.take_in(int(entry["contentId"]), entry)
                settled = settled and done
                if settled and assigned_at is not None:
                    settled_up_to = max(assigned_at, settled_up_to or assigned_at)
            moved = settled_up_to != cursor
            cursor = settled_up_to
            if len(page) < PAGE_SIZE or not moved:
                break
        self.round.import_cursor = cursor

    def take_in(self, content_id: int, entry: dict[str, Any]) -> tuple[bool, datetime | None]:
        """Import and claim one queued item: (whether it is settled, its assignment date)."""
        item = ExchangedItem.objects.filter(content_id=content_id).first()
        if item is None:
            content = self.read(f"Content/{content_id}")
            if not isinstance(content, dict):
                return False, None
            assigned_at = _moment(content.get("countryAssignmentDate"))
            if content.get("assignedCountryCode") != self.country:
                return True, assigned_at
            item = self.import_one(content_id, entry, content, assigned_at)
            if item is None:
                return True, assigned_at
        return self.claim(item), item.assigned_at

    def import_one(
        self, content_id: int, entry: dict[str, Any], content: dict[str, Any], at: datetime | None
    ) -> ExchangedItem | None:
        url = content.get("url") or {}
        try:
            return do_import_item(
                self.round,
                report_id=int(entry.get("reportId") or content.get("reportId") or 0),
                content_id=content_id,
                url=str(url.get("urlString", "")),
                memo=str(content.get("memo") or ""),
                assigned_country=self.country,
                assigned_at=at,
                partner_assessment=partner_assessment(content.get("assessments") or []),
            )
        except InvalidReport as error:
            self.problems.append(f"content {content_id}: {error}")
            return None

    def claim(self, item: ExchangedItem) -> bool:
        """Give ICCAM the case code as our reference. The item is still in the no-reference
        queue, so an earlier claim whose answer was lost did not land: send it again."""
        key = f"claim:{item.content_id}"
        earlier = Call.objects.filter(key=key, status__in=OPEN).first()
        if earlier is not None:
            do_send_again(earlier)
        call = do_take_call(self.round, key, Call.Operation.CLAIM, item.case, item.content_id)
        if call is None:
            return Call.objects.filter(key=key, status=Call.Status.DONE).exists()
        answer = self.send(
            call, "PUT", f"Content/{item.content_id}/hotline-reference", reference=item.case.code
        )
        return answer is not None and answer.ok

    # Actions ------------------------------------------------------------------------------

    def send_actions(self) -> None:
        """Tell ICCAM of each item whose case is removed, unavailable or not illegal here, once,
        never in the round that inserted it, and only while ICCAM assigns it to us."""
        for item in items_to_action(self.round):
            decisive = item.case.assessments.filter(decisive=True).first()
            state = final_state(item.case, decisive)
            if state is not None:
                self.send_action(item, state, decisive)

    def send_action(self, item: ExchangedItem, state: str, decisive: Assessment | None) -> None:
        content = self.read(f"Content/{item.content_id}")
        if not isinstance(content, dict):
            return
        do_note_assignment(item, str(content.get("assignedCountryCode") or ""))
        if item.assigned_country != self.country:
            return
        key = f"action:{item.content_id}:{state}"
        action_type = iccam_id("action-types", state)
        present = {action.get("actionType") for action in content.get("actions") or []}
        earlier = Call.objects.filter(key=key, status__in=OPEN).first()
        if action_type in present:
            call = earlier or do_take_call(
                self.round, key, Call.Operation.ACTION, item.case, item.content_id
            )
            if call is not None:
                do_settle_call(call, Call.Status.DONE, None, {"found": "already at ICCAM"})
            return
        if earlier is not None:
            do_send_again(earlier)
        call = do_take_call(self.round, key, Call.Operation.ACTION, item.case, item.content_id)
        if call is None:
            return
        body = action_body(item.case, state, decisive, self.session.config.username)
        self.send(call, "POST", f"Content/{item.content_id}/actions", body)


def judgements_to_export() -> list[Assessment]:
    """Standing criminal judgements of our analysts on cases ICCAM has not had from us nor
    given us; historical imports were exchanged by the system they came from. An insert
    ICCAM asked us to send again is taken up again."""
    inserted = Call.objects.filter(case=OuterRef("case"), operation=Call.Operation.INSERT)
    return list(
        Assessment.objects.filter(
            decisive=True,
            outcome__in=Assessment.CRIMINAL_OUTCOMES,
            analyst__isnull=False,
            case__imported_from="",
        )
        .exclude(case__iccam_items__origin=ExchangedItem.Origin.IMPORTED)
        .exclude(Exists(inserted.exclude(status=Call.Status.RETRY)))
        .select_related("case", "analyst")
        .order_by("assessed_at", "pk")
    )


def inserts_to_map() -> list[Call]:
    """Inserted reports whose content ids are not stored yet."""
    return list(
        Call.objects.filter(operation=Call.Operation.INSERT, status=Call.Status.DONE)
        .exclude(case__iccam_items__origin=ExchangedItem.Origin.INSERTED)
        .select_related("case")
    )


def items_to_action(current: Round) -> list[ExchangedItem]:
    closed = Call.objects.filter(
        operation=Call.Operation.ACTION, status__in=(Call.Status.DONE, Call.Status.FAILED)
    )
    ended = Q(case__status=URLCase.Status.REMOVED) | Q(
        case__assessments__decisive=True,
        case__assessments__outcome__in=(
            Assessment.Outcome.UNAVAILABLE,
            Assessment.Outcome.NOT_ILLEGAL,
        ),
    )
    return list(
        ExchangedItem.objects.filter(ended)
        .exclude(round=current)
        .exclude(content_id__in=closed.values("content_id"))
        .select_related("case")
        .distinct()
    )


def last_cursor() -> datetime | None:
    return (
        Round.objects.filter(import_cursor__isnull=False)
        .values_list("import_cursor", flat=True)
        .first()
    )


def queue_params(cursor: datetime | None) -> dict[str, Any]:
    params: dict[str, Any] = {"maxResults": PAGE_SIZE}
    if cursor is not None:
        params["countryAssignmentStartDate"] = cursor.isoformat().replace("+00:00", "Z")
    return params


def report_id_of(answer: Any) -> int | None:
    """ICCAM answers an insert with the report id, bare or as `reportId`."""
    value = answer.get("reportId", answer.get("answer")) if isinstance(answer, dict) else answer
    return int(value) if isinstance(value, int | str) and str(value).isdigit() else None


def partner_assessment(assessments: list[dict[str, Any]]) -> dict[str, Any]:
    """The last assessment (it wins), by ICCAM's names, as the partner hotline made it."""
    if not assessments:
        return {}
    last = assessments[-1]
    fields = {
        "classification": ("classification", "classifications"),
        "age": ("ageCategorization", "age-categories"),
        "gender": ("genderCategorization", "gender-categories"),
    }
    found: dict[str, Any] = {
        label: names(lookup).get(int(last.get(key) or 0), "")
        for label, (key, lookup) in fields.items()
    }
    found["virtual"] = bool(last.get("virtualContentCategorization"))
    found["user_generated"] = bool(last.get("userGeneratedContentCategorization"))
    found["analyst"] = str(last.get("assessingAnalystName") or "")
    return found


def _moment(value: Any) -> datetime | None:
    return parse_datetime(value) if isinstance(value, str) else None
