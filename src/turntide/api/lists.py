"""GET /api/v1/lists/urls: the URL list as versioned deltas, to the url-list scopes."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from turntide.api.auth import ServiceToken, has_service
from turntide.audit.actions import record
from turntide.members.lists import PSL_VERSION, url_list_delta
from turntide.members.models import APIToken

router = Router(tags=["lists"])


class ListQuery(Schema):
    since: int = Field(default=0, ge=0, le=2**31 - 1, description="Your list version; 0: all")


class Entry(Schema):
    sha256: str = Field(description="SHA-256 (hex) of a Safe Browsing lookup expression")
    expression: str | None = Field(
        default=None, description="The expression itself (url-list-plain scope only)"
    )


class URLListOut(Schema):
    version: int
    psl_version: str
    added: list[Entry]
    removed: list[Entry]


@router.get(
    "/lists/urls",
    auth=ServiceToken("url-list", "url-list-plain"),
    response=URLListOut,
    summary="URL list changes since a version",
    exclude_none=True,
)
def url_list(request: HttpRequest, query: Query[ListQuery]) -> Any:
    api_token: APIToken = request.auth  # type: ignore[attr-defined]
    plain = has_service(api_token, "url-list-plain")
    delta = url_list_delta(query.since, plain=plain)
    record(
        f"token:{api_token.prefix}",
        "list.downloaded",
        object_type="organisation",
        object_code=api_token.organisation.code,
        details={"list": "urls", "since": query.since, "version": delta.version, "plain": plain},
    )
    return {
        "version": delta.version,
        "psl_version": PSL_VERSION,
        "added": delta.added,
        "removed": delta.removed,
    }
