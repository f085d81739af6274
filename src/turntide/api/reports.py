"""POST /api/v1/reports: trusted reporters submit URLs in bulk.

Each URL is answered on its own (its case, or its error): one bad URL never costs the
others. With an Idempotency-Key, the answer is stored in the same transaction as the
report, so a retry after a lost answer (the same JSON value, however written) replays it and
creates nothing new.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from ninja import Router, Status
from ninja.errors import HttpError

from turntide.api.auth import ServiceToken
from turntide.api.schemas import ErrorOut, ReportIn, ReportOut
from turntide.members.models import APIToken, Organisation
from turntide.reports.actions import (
    SubmittedURL,
    URLProblem,
    check_urls,
    do_receive_report,
    previous_answer,
    remember_answer,
)
from turntide.reports.models import Report

router = Router(tags=["reports"])

# Printable ASCII, as HTTP headers carry it reliably; the schema states the same pattern.
IDEMPOTENCY_KEY_PATTERN = r"^[\x20-\x7e]{1,200}$"


def _idempotency_key(request: HttpRequest) -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    if not re.fullmatch(IDEMPOTENCY_KEY_PATTERN, key):
        raise HttpError(400, "Idempotency-Key must be 1 to 200 printable ASCII characters")
    return key


def _request_digest(body: bytes) -> str:
    """SHA-256 of the request as a JSON value: a retry may be written with its keys in another
    order, other spacing or other escapes, and is still the same request."""
    value = json.loads(body)  # already parsed once by the schema, so valid JSON
    return hashlib.sha256(
        json.dumps(value, sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()


def _in_utc(moment: datetime | None) -> datetime | None:
    """UTC, for offsets beyond what databases store (+15:59) are legal ISO 8601. A time with no
    offset is UTC, as the importers read it, not the server's local time (which failed at the
    ends of the calendar). OverflowError: no UTC equivalent (year 1 at +05:00)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _receive(api_token: APIToken, payload: ReportIn) -> dict[str, Any]:
    submitted: list[SubmittedURL] = []
    untimely: set[int] = set()  # positions whose found_at has no UTC equivalent
    for position, given in enumerate(payload.urls, start=1):
        try:
            found_at = _in_utc(given.found_at)
        except OverflowError:
            found_at = None
            untimely.add(position)
        submitted.append(
            SubmittedURL(
                url=given.url,
                content_type=given.content_type or "",
                found_at=found_at,
                found_by=given.source or "",
                notes=given.notes or "",
                external_reference=given.external_reference or "",
            )
        )
    checked = check_urls(submitted)
    if untimely:
        reason = "found_at is outside the times that can be stored"
        checked.problems += [
            URLProblem(item.position, item.submitted.url, reason)
            for item in checked.valid
            if item.position in untimely
        ]
        checked.valid = [item for item in checked.valid if item.position not in untimely]
    results: list[dict[str, Any]] = [{} for _ in submitted]
    for problem in checked.problems:
        results[problem.position - 1] = {"url": problem.submitted, "error": problem.reason}
    reference = None
    if checked.valid:
        organisation = api_token.organisation
        channel = (
            Report.Channel.PROACTIVE
            if organisation.kind == Organisation.Kind.PROACTIVE
            else Report.Channel.TRUSTED
        )
        report, reported = do_receive_report(
            f"token:{api_token.prefix}",
            checked,
            channel=channel,
            source=organisation.code,
            immediate_danger=payload.immediate_danger,
        )
        reference = report.reference
        for item, row in zip(checked.valid, reported, strict=True):
            results[item.position - 1] = {
                "url": item.submitted.url,
                "case": row.casereport.case.code,
                # Settled under the case locks (cases.receivers.settle_first_reports).
                "new": row.first_of_its_key,
            }
    return {"reference": reference, "results": results}


@router.post(
    "/reports",
    auth=ServiceToken("report"),
    response={200: ReportOut, 400: ErrorOut, 409: ErrorOut, 413: ErrorOut},
    summary="Report URLs in bulk",
    openapi_extra={
        "parameters": [
            {
                "name": "Idempotency-Key",
                "in": "header",
                "required": False,
                "schema": {"type": "string", "pattern": IDEMPOTENCY_KEY_PATTERN},
                "description": "Retrying the same request (the same JSON value, however "
                "written) with the same key replays the first answer; another request with "
                "that key gets 409.",
            }
        ]
    },
)
def submit_reports(request: HttpRequest, payload: ReportIn) -> Any:
    api_token: APIToken = request.auth  # type: ignore[attr-defined]
    key = _idempotency_key(request)
    if key is None:
        with transaction.atomic():
            return _receive(api_token, payload)
    source = api_token.organisation.code
    digest = _request_digest(request.body)
    for _attempt in range(2):
        earlier = previous_answer(source, key)
        if earlier is not None:
            if earlier.request_digest != digest:
                return Status(
                    409, {"detail": "this Idempotency-Key was used for a different request"}
                )
            return earlier.response
        try:
            with transaction.atomic():
                answer = _receive(api_token, payload)
                remember_answer(source, key, digest, answer)
                return answer
        except IntegrityError:
            continue  # a concurrent twin committed first: replay its answer
    raise HttpError(409, "a request with this Idempotency-Key is still being processed")
