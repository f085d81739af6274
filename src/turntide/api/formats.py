"""The lists' other formats (CSV, DNS RPZ), each at its own address with one media type.

A generated client parses an answer by the one media type its operation declares, so a
format chosen by a query parameter (`?format=csv` on a JSON operation) came back as a JSON
decode error. Each format is therefore its own operation (`/lists/urls.csv`); the older
`?format=` spelling is still answered, undeclared, for scripts written before.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.errors import HttpError

CSV = "text/csv"
RPZ = "text/dns"


def served_as(media_type: str, example: str) -> dict[str, Any]:
    """`openapi_extra` for an operation whose 200 answer is text of `media_type`."""
    content = {media_type: {"schema": {"type": "string"}, "example": example}}
    return {"responses": {200: {"description": "OK", "content": content}}}


def legacy_format(request: HttpRequest, *allowed: str) -> str:
    """The deprecated `?format=` of a JSON address: `json` unless it names another format."""
    chosen = request.GET.get("format", "json")
    if chosen not in ("json", *allowed):
        raise HttpError(400, f"format must be one of json, {', '.join(allowed)}")
    return chosen
