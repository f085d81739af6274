"""Uploads of survey files stay in memory: Django would spill a large one to a temporary file,
which would leave the plain microdata on disk before it is encrypted."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http import HttpRequest

__all__ = ["MAX_UPLOAD_BYTES", "InMemoryOnly", "too_large"]

# A few hundred thousand respondents as CSV; larger requests are refused, not spilled.
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


def too_large(request: HttpRequest) -> bool:
    """Whether the request is over MAX_UPLOAD_BYTES, so that its file was not kept."""
    length = request.META.get("CONTENT_LENGTH") or ""
    return length.isdigit() and int(length) > MAX_UPLOAD_BYTES


class InMemoryOnly(MemoryFileUploadHandler):
    """Django's memory handler without its size switch to disk; a request over
    MAX_UPLOAD_BYTES keeps no file at all (the form then says it is too large)."""

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],
        content_length: int | None,
        boundary: str,
        encoding: str | None = None,
    ) -> None:
        self.activated = content_length is not None and content_length <= MAX_UPLOAD_BYTES
