"""POST and GET /api/v1/lists/feedback (scope `feedback`): members' word on matches.

A member names a listed entry as its list gave it: a hash by its value; a URL entry by its
`sha256` (keyed under the member's list key where it has one), its expression, or the web
address that matched. Each item is answered on its own; an entry the member's licence does
not show it, or that is not listed, is answered as unknown (status 404) without telling
which. Sending the same verdict on the same entry again updates the feedback.
"""

from __future__ import annotations

import hmac
import re
from datetime import datetime
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from turntide.api.auth import ServiceToken
from turntide.api.schemas import StrictSchema, Text
from turntide.core.urls import InvalidURL, expressions
from turntide.hashes.models import HashEntry
from turntide.lists.feedback import MAX_NOTE, ListedEntry, do_record_feedback, own_feedback
from turntide.lists.models import Feedback
from turntide.members.lists import keyed_sha256, sha256_hex
from turntide.members.models import APIToken, Organisation, URLListEntry

router = Router(tags=["feedback"])

MAX_ITEMS = 100
MAX_LISTED = 1000
HEX64 = re.compile("[0-9a-f]{64}")
UNKNOWN = "no such entry on the lists your organisation receives"


class FeedbackItemIn(StrictSchema):
    kind: Literal["url", "hash"]
    value: Text = Field(
        max_length=2000,
        description="hash: the value as listed (MD5, SHA-1, PDQ or PhotoDNA); url: the entry's "
        "sha256 as your list gave it, its expression, or the web address that matched",
    )
    verdict: Literal["false_positive", "confirmed"] = Field(
        description="false_positive: what matched is not abuse; confirmed: it is"
    )
    note: Text | None = Field(default=None, max_length=MAX_NOTE)
    distance: int | None = Field(
        default=None, ge=0, le=256, description="PDQ: the Hamming distance it matched at"
    )


class FeedbackIn(StrictSchema):
    items: list[FeedbackItemIn] = Field(min_length=1, max_length=MAX_ITEMS)


class FeedbackAccepted(Schema):
    kind: str
    value: str
    verdict: str
    code: str = Field(description="The feedback's code; the same when you send it again")
    new: bool = Field(description="False when this updated your earlier feedback")


class FeedbackRejected(Schema):
    kind: str
    value: str
    status: int = Field(description="404: no such entry on your lists")
    error: str


class FeedbackOut(Schema):
    results: list[FeedbackAccepted | FeedbackRejected]


class FeedbackRecord(Schema):
    code: str
    kind: str
    value: str = Field(description="The value as you sent it")
    verdict: str
    note: str
    distance: int | None
    created_at: datetime
    updated_at: datetime
    reviewed: bool = Field(description="An analyst has reviewed it")


class FeedbackListOut(Schema):
    feedback: list[FeedbackRecord] = Field(description=f"Yours, newest first, {MAX_LISTED} at most")


FEEDBACK = ServiceToken("feedback")


@router.post(
    "/lists/feedback",
    auth=FEEDBACK,
    response={200: FeedbackOut},
    summary="Say that a listed entry matched something harmless, or confirm it matched abuse",
)
def send_feedback(request: HttpRequest, payload: FeedbackIn) -> Any:
    api_token: APIToken = request.auth  # type: ignore[attr-defined]
    organisation = api_token.organisation
    results: list[dict[str, Any]] = []
    for item in payload.items:
        answer = {"kind": item.kind, "value": item.value}
        entry = _find(organisation, item.kind, item.value)
        if entry is None:
            results.append({**answer, "status": 404, "error": UNKNOWN})
            continue
        feedback, created = do_record_feedback(
            f"token:{api_token.prefix}",
            organisation,
            entry,
            value=item.value,
            verdict=item.verdict,
            note=item.note or "",
            distance=item.distance,
        )
        results.append({**answer, "verdict": item.verdict, "code": feedback.code, "new": created})
    return {"results": results}


@router.get(
    "/lists/feedback",
    auth=FEEDBACK,
    response={200: FeedbackListOut},
    summary="Your organisation's own feedback, newest first",
)
def list_feedback(request: HttpRequest) -> Any:
    api_token: APIToken = request.auth  # type: ignore[attr-defined]
    rows = own_feedback(api_token.organisation)[:MAX_LISTED]
    return {
        "feedback": [
            {
                "code": row.code,
                "kind": row.kind,
                "value": row.value,
                "verdict": row.verdict,
                "note": row.note,
                "distance": row.distance,
                "created_at": row.created_at,
                "updated_at": row.updated_at,
                "reviewed": row.reviewed_at is not None,
            }
            for row in rows
        ]
    }


def _find(organisation: Organisation, kind: str, value: str) -> ListedEntry | None:
    """The listed entry `value` names, if the organisation's licence shows it that list."""
    licensed = set(organisation.services)
    if kind == Feedback.Kind.HASH:
        return _hash_entry(value) if "hash-list" in licensed else None
    if licensed & {"url-list", "url-list-plain"}:
        return _url_entry(organisation, value, URLListEntry.objects.all())
    if "rpz-feed" in licensed:  # the zone holds the whole-site entries only
        domains = URLListEntry.objects.filter(kind=URLListEntry.Kind.DOMAIN)
        return _url_entry(organisation, value, domains)
    return None


def _hash_entry(value: str) -> ListedEntry | None:
    stripped = value.strip()
    present = HashEntry.objects.filter(withdrawn_version__isnull=True).select_related(
        "source", "case"
    )
    entry = present.filter(value__in={stripped, stripped.lower()}).first()
    if entry is None:
        return None
    return ListedEntry(
        kind=Feedback.Kind.HASH,
        type=entry.type,
        value=entry.value,
        label=entry.value,
        source=entry.source.name,
        case_code=entry.case.code if entry.case else "",
    )


def _url_entry(
    organisation: Organisation, value: str, entries: QuerySet[URLListEntry]
) -> ListedEntry | None:
    present = entries.filter(removed_version__isnull=True)
    digest = value.strip().lower()
    if HEX64.fullmatch(digest):
        entry = _by_digest(present, digest, organisation.list_key)
    else:
        entry = _by_address(present, value.strip())
    if entry is None:
        return None
    return ListedEntry(
        kind=Feedback.Kind.URL,
        type=entry.kind,
        value=entry.sha256,
        label=entry.expression,
        case_code=entry.case_code,
    )


def _by_digest(present: QuerySet[URLListEntry], digest: str, key: str) -> URLListEntry | None:
    """The entry whose hash, as this member's list gave it, is `digest`. A keyed hash names
    no entry by itself: each present expression is hashed under the member's key (a pass
    over the list, which feedback, being rare, can afford)."""
    if not key:
        return present.filter(sha256=digest).first()
    for row in present.iterator():
        if hmac.compare_digest(keyed_sha256(key, row.expression), digest):
            return row
    return None


def _by_address(present: QuerySet[URLListEntry], address: str) -> URLListEntry | None:
    """The most specific listed entry among the lookup expressions of a web address or of
    an expression (`site.example/a`), as a member's filter would have matched it."""
    url = address if "://" in address else f"http://{address}"
    try:
        wanted = [sha256_hex(expression) for expression in expressions(url)]
    except InvalidURL:
        return None
    listed = {row.sha256: row for row in present.filter(sha256__in=wanted)}
    return next((listed[key] for key in wanted if key in listed), None)
