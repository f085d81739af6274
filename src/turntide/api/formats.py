"""The lists' other formats (CSV, DNS RPZ), each at its own address with one media type.

A generated client parses an answer by the one media type its operation declares, so a
format chosen by a query parameter (`?format=csv` on a JSON operation) came back as a JSON
decode error. Each format is therefore its own operation (`/lists/urls.csv`); the older
`?format=` spelling is still answered, undeclared, for scripts written before.

Every list CSV is a feed for programs: it says its version in the `X-Turntide-List-Version`
header and in its first line, a comment (`# turntide urls list version=12 since=3`), and
carries each value exactly as the JSON does. Formula escaping (`turntide.core.csvcells`) is
for spreadsheet downloads read by people: in a feed it corrupts data (an escaped
`-dash.example/a.jpg` no longer hashes to its `sha256` column).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse
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


def csv_feed(
    name: str, since: int, version: int, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    """The delta of list `name` since `since` as a CSV feed at `version`."""
    out = io.StringIO()
    out.write(f"# turntide {name} list version={version} since={since}\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    response = HttpResponse(out.getvalue(), content_type=f"{CSV}; charset=utf-8")
    response["X-Turntide-List-Version"] = str(version)
    response["Content-Disposition"] = f'attachment; filename="{name}-v{version}-since-{since}.csv"'
    return response
