"""The hash list API: versioned deltas, server-side matching, and capture tools' submissions.

- `GET /api/v1/lists/hashes?since=V` (scope `hash-list`): JSON; `/lists/hashes.csv`: CSV (the
  older `format=csv` or `Accept: text/csv` on the JSON address still answer CSV).
- `POST /api/v1/match/hashes` (scope `match`): up to 10,000 hashes, each answered with the
  entries it matches.
- `POST /api/v1/cases/{code}/hashes` (scope `report`, hotline's own organisation only): the
  analysts' capture tools add the hashes of a case judged criminal.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from turntide.api.auth import ServiceToken
from turntide.api.formats import CSV, csv_feed, legacy_format, served_as
from turntide.api.schemas import ErrorOut, StrictSchema
from turntide.audit.actions import record
from turntide.cases.models import Assessment, URLCase
from turntide.core.hashing import InvalidHash
from turntide.hashes.actions import (
    CRIMINAL_STATUSES,
    checked_hash,
    do_add_hashes,
    hotline_source,
)
from turntide.hashes.lists import hash_list_delta, match_hashes
from turntide.members.models import APIToken, Organisation

router = Router(tags=["hashes"])

MAX_HASHES_PER_REQUEST = 10_000
CSV_HEADER = ("change", "type", "value", "category", "source", "threshold")

HashType = Literal["md5", "sha1", "pdq", "photodna"]
HASH_LIST = ServiceToken("hash-list")


class HashListQuery(Schema):
    since: int = Field(default=0, ge=0, le=2**31 - 1, description="Your list version; 0: all")


class ListedEntry(Schema):
    type: HashType
    value: str = Field(description="Lower-case hexadecimal; PhotoDNA as given by its source")
    category: str = Field(description="A, B, C, or empty when ungraded")
    source: str
    threshold: int | None = Field(
        default=None, description="PDQ only: the largest Hamming distance that matches"
    )


class WithdrawnEntry(Schema):
    type: HashType
    value: str


class HashListOut(Schema):
    version: int
    added: list[ListedEntry]
    removed: list[WithdrawnEntry]


def _wants_csv(request: HttpRequest) -> bool:
    """The JSON address's older ways of asking for CSV: `format=csv`, or an Accept header."""
    if "format" in request.GET:
        return legacy_format(request, "csv") == "csv"
    accept = request.headers.get("Accept", "")
    return "text/csv" in accept and "application/json" not in accept


@router.get(
    "/lists/hashes",
    auth=HASH_LIST,
    response={200: HashListOut},
    summary="Hash list changes since a version",
    exclude_none=True,
)
def hash_list(request: HttpRequest, query: Query[HashListQuery]) -> Any:
    return _hash_list(request, query.since, as_csv=_wants_csv(request))


@router.get(
    "/lists/hashes.csv",
    auth=HASH_LIST,
    summary="Hash list changes since a version, as CSV",
    openapi_extra=served_as(CSV, ",".join(CSV_HEADER) + "\n"),
)
def hash_list_csv(request: HttpRequest, query: Query[HashListQuery]) -> Any:
    return _hash_list(request, query.since, as_csv=True)


def _hash_list(request: HttpRequest, since: int, *, as_csv: bool) -> Any:
    api_token: APIToken = request.auth  # type: ignore[attr-defined]
    delta = hash_list_delta(since)
    record(
        f"token:{api_token.prefix}",
        "list.downloaded",
        object_type="organisation",
        object_code=api_token.organisation.code,
        details={
            "list": "hashes",
            "since": since,
            "version": delta.version,
            "format": "csv" if as_csv else "json",
        },
    )
    if as_csv:
        rows = [
            ["added", *(entry.get(column, "") for column in CSV_HEADER[1:])]
            for entry in delta.added
        ]
        rows += [["removed", entry["type"], entry["value"], "", "", ""] for entry in delta.removed]
        return csv_feed("hashes", since, delta.version, CSV_HEADER, rows)
    return {"version": delta.version, "added": delta.added, "removed": delta.removed}


class HashIn(StrictSchema):
    type: HashType
    value: str = Field(max_length=2000)


class MatchIn(StrictSchema):
    hashes: list[HashIn] = Field(min_length=1, max_length=MAX_HASHES_PER_REQUEST)


class HashMatch(Schema):
    type: HashType = Field(description="The type of the listed entry")
    distance: int = Field(description="Hamming distance for PDQ; 0 for exact types")
    category: str
    source: str


class MatchResult(Schema):
    type: str
    value: str
    matches: list[HashMatch]
    error: str | None = Field(default=None, description="Why this hash could not be checked")


class MatchOut(Schema):
    version: int
    results: list[MatchResult]


@router.post(
    "/match/hashes",
    auth=ServiceToken("match"),
    response={200: MatchOut, 400: ErrorOut, 413: ErrorOut},
    summary="Match hashes against the hash list",
    exclude_none=True,
)
def match(request: HttpRequest, payload: MatchIn) -> Any:
    api_token: APIToken = request.auth  # type: ignore[attr-defined]
    report = match_hashes([(item.type, item.value) for item in payload.hashes])
    answers, version = report.answers, report.version
    matched = sum(1 for answer in answers if answer.matches)
    record(
        f"token:{api_token.prefix}",
        "hashes.matched",
        object_type="organisation",
        object_code=api_token.organisation.code,
        details={"version": version, "checked": len(answers), "matched": matched},
    )
    return {
        "version": version,
        "results": [
            {"type": a.type, "value": a.value, "matches": a.matches, "error": a.error}
            for a in answers
        ],
    }


class CapturedHash(StrictSchema):
    type: HashType
    value: str = Field(max_length=2000)
    quality: int | None = Field(default=None, ge=0, le=100, description="PDQ quality; required")
    category: Literal["A", "B", "C"] | None = Field(
        default=None, description="Default: the category of the case's assessment"
    )


class CaptureIn(StrictSchema):
    hashes: list[CapturedHash] = Field(min_length=1, max_length=MAX_HASHES_PER_REQUEST)


class CapturedResult(Schema):
    type: str
    value: str
    outcome: Literal["added", "already_listed", "kept_off"] | None = Field(
        default=None,
        description="kept_off: withdrawn before as matching harmless content, not listed again",
    )
    error: str | None = Field(default=None, description="Why this hash was refused")


class CaptureOut(Schema):
    version: int
    results: list[CapturedResult]


@router.post(
    "/cases/{code}/hashes",
    auth=ServiceToken("report"),
    response={200: CaptureOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Add the hashes of a case judged criminal (the hotline's capture tools)",
    exclude_none=True,
)
def capture(request: HttpRequest, code: str, payload: CaptureIn) -> Any:
    """Each hash is answered on its own: a refused one (bad or degenerate value, PDQ of low
    quality) never costs the others."""
    api_token: APIToken = request.auth  # type: ignore[attr-defined]
    if api_token.organisation.kind != Organisation.Kind.PROACTIVE:
        return Status(403, {"detail": "only the hotline's own capture tools may add hashes"})
    case = URLCase.objects.filter(code=code).first()
    if case is None:
        return Status(404, {"detail": f"no case {code}"})
    if case.status not in CRIMINAL_STATUSES:
        detail = f"case {code} is not judged criminal ({case.status}); record the assessment first"
        return Status(409, {"detail": detail})
    decisive = Assessment.objects.filter(case=case, decisive=True)
    grading = decisive.values_list("category", flat=True).first() or ""
    results: list[dict[str, Any]] = []
    accepted = []
    for item in payload.hashes:
        try:
            checked = checked_hash(
                item.type, item.value, category=item.category or grading, quality=item.quality
            )
        except InvalidHash as error:
            results.append({"type": item.type, "value": item.value, "error": str(error)})
            continue
        accepted.append(checked)
        results.append({"type": checked.type, "value": checked.value})
    summary = do_add_hashes(f"token:{api_token.prefix}", hotline_source(), accepted, case=case)
    for result in results:
        if "error" not in result:
            result["outcome"] = summary.outcomes[result["type"], result["value"]]
    return {"version": summary.version, "results": results}
