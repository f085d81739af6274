"""GET /api/v1/lists/urls and /lists/keywords: versioned deltas to the members' scopes.

Each format has its own address: `/lists/urls` (JSON), `/lists/urls.csv`, `/lists/urls.rpz`,
`/lists/keywords` and `/lists/keywords.csv` (see `turntide.api.formats`).
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from ninja.errors import AuthorizationError, HttpError
from pydantic import Field

from turntide.api.auth import ServiceToken, enforce_rate_limit, has_service
from turntide.api.formats import CSV, RPZ, csv_feed, legacy_format, served_as
from turntide.api.schemas import ErrorOut
from turntide.audit.actions import record
from turntide.lists.versions import Delta
from turntide.members.access import authenticate_token
from turntide.members.keywords import keyword_delta
from turntide.members.lists import PSL_VERSION, for_member, rpz_zone, url_list_delta
from turntide.members.models import APIToken

router = Router(tags=["lists"])

URL_LIST = ServiceToken("url-list", "url-list-plain")
KEYWORDS = ServiceToken("keywords")
KEYWORD_COLUMNS = ("change", "id", "term", "language")


class SinceQuery(Schema):
    since: int = Field(default=0, ge=0, le=2**31 - 1, description="Your list version; 0: all")


class Entry(Schema):
    sha256: str = Field(
        description="SHA-256 (hex) of a Safe Browsing lookup expression, or HMAC-SHA256 under "
        "your organisation's list key when `keyed` is true"
    )
    kind: Literal["url", "domain"] = Field(description="url: one URL; domain: a whole site")
    expression: str | None = Field(
        default=None, description="The expression itself (url-list-plain scope only)"
    )


class URLListOut(Schema):
    version: int
    since: int
    psl_version: str
    keyed: bool = Field(description="Hashes are HMAC-SHA256 under your organisation's key")
    added: list[Entry]
    removed: list[Entry]


class KeywordEntry(Schema):
    id: int
    term: str
    language: str


class KeywordListOut(Schema):
    version: int
    since: int
    added: list[KeywordEntry]
    removed: list[KeywordEntry]


def _record_download(
    api_token: APIToken, name: str, since: int, delta: Delta, **extra: Any
) -> None:
    record(
        f"token:{api_token.prefix}",
        "list.downloaded",
        object_type="organisation",
        object_code=api_token.organisation.code,
        details={"list": name, "since": since, "version": delta.version, **extra},
    )


@router.get(
    "/lists/urls",
    auth=URL_LIST,
    response={200: URLListOut, 409: ErrorOut},
    summary="URL list changes since a version",
    exclude_none=True,
)
def url_list(request: HttpRequest, query: Query[SinceQuery]) -> Any:
    return _url_list(request, query.since, legacy_format(request, "csv", "rpz"))


@router.get(
    "/lists/urls.csv",
    auth=URL_LIST,
    response={409: ErrorOut},
    summary="URL list changes since a version, as CSV",
    description="Columns change, sha256, kind, and expression for the url-list-plain scope.",
    openapi_extra=served_as(CSV, "change,sha256,kind\n"),
)
def url_list_csv(request: HttpRequest, query: Query[SinceQuery]) -> Any:
    return _url_list(request, query.since, "csv")


@router.get(
    "/lists/urls.rpz",
    auth=URL_LIST,
    summary="The whole-site entries as a DNS response policy zone (url-list-plain scope)",
    description="Always the whole zone; its SOA serial is the list version.",
    openapi_extra=served_as(RPZ, "$TTL 300\n"),
)
def url_list_rpz(request: HttpRequest) -> Any:
    return _url_list(request, 0, "rpz")


@router.get(
    "/feeds/{token}/urls.rpz",
    response={404: ErrorOut},
    summary="The RPZ zone at a feed address, for a DNS resolver to fetch by itself",
    description="The address is the capability (a token scoped to rpz-feed, revoked with "
    "it): resolvers' `url:` downloads send no header. An unknown, revoked or other token: 404.",
    openapi_extra=served_as(RPZ, "$TTL 300\n"),
)
def rpz_feed(request: HttpRequest, token: str) -> Any:
    api_token = authenticate_token(token)
    if api_token is None or not has_service(api_token, "rpz-feed"):
        raise HttpError(404, "no such feed")
    enforce_rate_limit(api_token)
    return _zone(api_token)


def _zone(api_token: APIToken) -> HttpResponse:
    """The whole-site entries as a DNS response policy zone, always whole."""
    delta = url_list_delta(0)
    _record_download(api_token, "urls", 0, delta, format="rpz")
    return HttpResponse(rpz_zone(delta), content_type=f"{RPZ}; charset=utf-8")


def _url_list(request: HttpRequest, since: int, format: str) -> Any:
    api_token: APIToken = request.auth  # type: ignore[attr-defined]
    plain = has_service(api_token, "url-list-plain")
    if format == "rpz":
        if not plain:
            raise AuthorizationError(
                message="the RPZ zone names sites in clear: url-list-plain only"
            )
        return _zone(api_token)
    organisation = api_token.organisation
    key = organisation.list_key
    if 0 < since < organisation.list_key_version:
        raise HttpError(
            409,
            f"your organisation's list key changed at version {organisation.list_key_version}, "
            "after your copy was made: sync again from the whole list (since=0)",
        )
    delta = url_list_delta(since)
    _record_download(api_token, "urls", since, delta, plain=plain, keyed=bool(key), format=format)
    added = for_member(delta.added, plain=plain, key=key)
    removed = for_member(delta.removed, plain=plain, key=key)
    if format == "csv":
        columns = ["change", "sha256", "kind", *(["expression"] if plain else [])]
        rows = [
            [change, *(entry[column] for column in columns[1:])]
            for change, entries in (("added", added), ("removed", removed))
            for entry in entries
        ]
        return csv_feed("urls", since, delta.version, columns, rows)
    return {
        "version": delta.version,
        "since": since,
        "psl_version": PSL_VERSION,
        "keyed": bool(key),
        "added": added,
        "removed": removed,
    }


@router.get(
    "/lists/keywords",
    auth=KEYWORDS,
    response=KeywordListOut,
    summary="Keyword list changes since a version",
)
def keyword_list(request: HttpRequest, query: Query[SinceQuery]) -> Any:
    return _keyword_list(request, query.since, legacy_format(request, "csv"))


@router.get(
    "/lists/keywords.csv",
    auth=KEYWORDS,
    summary="Keyword list changes since a version, as CSV",
    openapi_extra=served_as(CSV, ",".join(KEYWORD_COLUMNS) + "\n"),
)
def keyword_list_csv(request: HttpRequest, query: Query[SinceQuery]) -> Any:
    return _keyword_list(request, query.since, "csv")


def _keyword_list(request: HttpRequest, since: int, format: str) -> Any:
    api_token: APIToken = request.auth  # type: ignore[attr-defined]
    delta = keyword_delta(since)
    _record_download(api_token, "keywords", since, delta, format=format)
    if format == "csv":
        rows = [
            [change, entry["id"], entry["term"], entry["language"]]
            for change, entries in (("added", delta.added), ("removed", delta.removed))
            for entry in entries
        ]
        return csv_feed("keywords", since, delta.version, KEYWORD_COLUMNS, rows)
    return {
        "version": delta.version,
        "since": since,
        "added": delta.added,
        "removed": delta.removed,
    }
