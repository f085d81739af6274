"""Writes of the ICCAM exchange; each is audited under the actor `iccam`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from turntide.audit.actions import record
from turntide.cases.models import URLCase
from turntide.exchange.models import Call, ExchangedItem, Round
from turntide.reports.actions import SubmittedURL, do_receive_report
from turntide.reports.models import Report

ACTOR = "iccam"
# Reports of imported items name ICCAM as their source, as trusted reporters name themselves.
SOURCE = "ICCAM"
OPEN = (Call.Status.SENDING, Call.Status.UNCONFIRMED)


@transaction.atomic
def do_open_round() -> Round:
    """Start a round. A round left running ended in a crash: it is failed, and its writes
    still `sending` become `unconfirmed` (sent or not, nobody knows)."""
    crashed = Round.objects.filter(status=Round.Status.RUNNING)
    Call.objects.filter(round__in=crashed, status=Call.Status.SENDING).update(
        status=Call.Status.UNCONFIRMED
    )
    crashed.update(
        status=Round.Status.FAILED, finished_at=timezone.now(), message="ended without finishing"
    )
    return Round.objects.create()


@transaction.atomic
def do_close_round(current: Round, problems: list[str], failure: str = "") -> Round:
    """Count what the round did and how it ended; the audit event carries the counts."""
    calls = Call.objects.filter(round=current).aggregate(
        exported=Count("pk", filter=Q(operation=Call.Operation.INSERT, status=Call.Status.DONE)),
        actions=Count("pk", filter=Q(operation=Call.Operation.ACTION, status=Call.Status.DONE)),
    )
    current.exported, current.actions = calls["exported"], calls["actions"]
    current.imported = current.items.filter(origin=ExchangedItem.Origin.IMPORTED).count()
    current.errors = len(problems) + bool(failure)
    current.message = "\n".join([failure, *problems] if failure else problems)[:10_000]
    current.status = Round.Status.FAILED if failure else Round.Status.COMPLETED
    current.finished_at = timezone.now()
    current.save()
    record(
        ACTOR,
        "iccam.round",
        object_type="iccam_round",
        object_code=str(current.pk),
        details={
            "status": current.status,
            "exported": current.exported,
            "imported": current.imported,
            "actions": current.actions,
            "errors": current.errors,
        },
    )
    return current


def do_take_call(
    current: Round, key: str, operation: str, case: URLCase, content_id: int | None = None
) -> Call | None:
    """The write named `key`, stored as `sending` before it goes out; None when it must not
    go: done, refused for good, or its answer lost (the caller reads ICCAM back first).

    A write to send again is taken by a conditional update, so only one round sends it.
    """
    call, created = Call.objects.get_or_create(
        key=key,
        defaults={"operation": operation, "case": case, "content_id": content_id, "round": current},
    )
    if created:
        return call
    taken = Call.objects.filter(pk=call.pk, status=Call.Status.RETRY).update(
        status=Call.Status.SENDING, round=current
    )
    return Call.objects.get(pk=call.pk) if taken else None


@transaction.atomic
def do_settle_call(call: Call, status: str, http_status: int | None, answer: Any) -> None:
    call.status, call.http_status, call.answered_at = status, http_status, timezone.now()
    call.answer = answer if isinstance(answer, dict) else {"answer": answer}
    call.save(update_fields=["status", "http_status", "answer", "answered_at"])
    record(
        ACTOR,
        f"iccam.{call.operation}",
        object_type="case",
        object_code=call.case.code,
        details={"key": call.key, "status": status, "http_status": http_status},
    )


def do_send_again(call: Call) -> None:
    """ICCAM, read back, shows that this unconfirmed write never landed: let it go again."""
    Call.objects.filter(pk=call.pk, status__in=OPEN).update(status=Call.Status.RETRY)


@transaction.atomic
def do_store_inserted_items(current: Round, call: Call, report_id: int, contents: list[int]) -> int:
    """The content ids ICCAM gave the URL of an inserted case."""
    for content_id in contents:
        ExchangedItem.objects.get_or_create(
            content_id=content_id,
            defaults={
                "case": call.case,
                "origin": ExchangedItem.Origin.INSERTED,
                "report_id": report_id,
                "round": current,
            },
        )
    record(
        ACTOR,
        "iccam.contents_mapped",
        object_type="case",
        object_code=call.case.code,
        details={"report_id": report_id, "content_ids": contents},
    )
    return len(contents)


@transaction.atomic
def do_import_item(
    current: Round,
    *,
    report_id: int,
    content_id: int,
    url: str,
    memo: str,
    assigned_country: str,
    assigned_at: datetime | None,
    partner_assessment: dict[str, Any],
) -> ExchangedItem:
    """An item ICCAM assigned to us joins the case of its address, or opens one, through the
    same intake as every report; the partner's assessment is kept as theirs, on the item."""
    _report, reported = do_receive_report(
        ACTOR,
        [SubmittedURL(url, notes=memo[:2000], external_reference=f"{report_id}#{content_id}")],
        channel=Report.Channel.TRUSTED,
        source=SOURCE,
        received_at=assigned_at,
    )
    case = reported[0].casereport.case
    item = ExchangedItem.objects.create(
        case=case,
        origin=ExchangedItem.Origin.IMPORTED,
        report_id=report_id,
        content_id=content_id,
        assigned_country=assigned_country,
        assigned_at=assigned_at,
        partner_assessment=partner_assessment,
        round=current,
    )
    record(
        ACTOR,
        "iccam.imported",
        object_type="case",
        object_code=case.code,
        details={"report_id": report_id, "content_id": content_id},
    )
    return item


def do_note_assignment(item: ExchangedItem, country: str) -> None:
    """ICCAM's assigned country of an item, as last read (no audit: it is ICCAM's fact)."""
    if item.assigned_country != country:
        ExchangedItem.objects.filter(pk=item.pk).update(assigned_country=country)
        item.assigned_country = country
