"""Request and response shapes of the API; the OpenAPI schema is generated from these."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import AfterValidator, ConfigDict, Field

MAX_URLS_PER_REQUEST = 10_000


UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _storable(text: str) -> str:
    """NUL and lone surrogates (JSON can escape one, \\ud800) cannot be stored in a database;
    each becomes U+FFFD, visibly, rather than failing the whole request."""
    return UNSTORABLE.sub("\ufffd", text)


Text = Annotated[str, AfterValidator(_storable)]


class StrictSchema(Schema):
    """Unknown fields are an error, not silently dropped: a typo must not lose metadata."""

    model_config = ConfigDict(extra="forbid")


class URLIn(StrictSchema):
    url: Text = Field(description="The web address as found; any spelling.")
    content_type: Literal["images", "videos", "both", "unsure"] | None = None
    source: Text | None = Field(default=None, max_length=200, description="Your source.")
    found_at: datetime | None = Field(
        default=None,
        description="When it was found; a time without an offset is UTC. A time with no UTC "
        "equivalent (year 1 at +05:00) is this URL's error.",
    )
    notes: Text | None = Field(default=None, max_length=2000)
    external_reference: Text | None = Field(default=None, max_length=200)


class ReportIn(StrictSchema):
    urls: list[URLIn] = Field(min_length=1, max_length=MAX_URLS_PER_REQUEST)
    immediate_danger: bool = False


class URLAccepted(Schema):
    url: str
    case: str = Field(description="The code of the case this web address belongs to.")
    new: bool = Field(description="True when no one had reported this web address before.")


class URLRejected(Schema):
    url: str
    error: str


class ReportOut(Schema):
    reference: str | None = Field(description="The report's reference; null if no URL was valid.")
    results: list[URLAccepted | URLRejected]


class ErrorOut(Schema):
    detail: str | list[dict[str, object]]
