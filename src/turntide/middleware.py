"""A database that is busy or away answers 503 with Retry-After, never a bare 500.

SQLite in the embedded profile lets one writer in at a time: seven simultaneous 10,000-URL
batches queue behind each other past its busy timeout.  PostgreSQL may be restarting.  Either
way the request's transaction was rolled back, so nothing of it is stored, and the same
request succeeds later: the client is told so, and when (an API client retrying under the
same Idempotency-Key gets its answer exactly once).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from turntide.database import is_transient

__all__ = ["RETRY_AFTER_SECONDS", "DatabaseBusyMiddleware"]

logger = logging.getLogger("turntide.web")

RETRY_AFTER_SECONDS = 10


class DatabaseBusyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_transient(exception):
            return None
        logger.warning(
            "database busy or unavailable (%s); answered 503 to %s %s",
            type(exception).__name__,
            request.method,
            request.path,
        )
        response: HttpResponse
        if request.path.startswith("/api/"):
            response = JsonResponse(
                {
                    "detail": "The service is busy or restarting; nothing of this request was "
                    f"stored. Send it again in {RETRY_AFTER_SECONDS} seconds."
                },
                status=503,
            )
        else:
            response = render(request, "503.html", {"retry_after": RETRY_AFTER_SECONDS}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
