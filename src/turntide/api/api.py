"""The NinjaAPI instance: routers, JSON error shapes, and the OpenAPI schema."""

from __future__ import annotations

import json

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from turntide.api.hashes import router as hashes_router
from turntide.api.lists import router as lists_router
from turntide.api.reports import router as reports_router

api = NinjaAPI(
    title="Turntide API",
    version="1",
    description="Trusted intake and member services. Bearer tokens are issued per "
    "organisation with `turntide members token` and scoped to services.",
    urls_namespace="api-v1",
    docs_url=None,
    openapi_url="/openapi.json",
)
api.add_router("/", reports_router)
api.add_router("/", lists_router)
api.add_router("/", hashes_router)


@api.exception_handler(ValidationError)
def invalid_request(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Schema violations (unknown fields, wrong types) are the client's error: 400."""
    errors = [
        {"loc": error.get("loc"), "msg": error.get("msg"), "type": error.get("type")}
        for error in exc.errors
    ]
    return api.create_response(request, {"detail": errors}, status=400)


@api.exception_handler(RequestDataTooBig)
def too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return api.create_response(request, {"detail": "request body too large"}, status=413)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Say exactly why a body was refused: where its JSON breaks, or what it lacks."""
    cause = exc.__cause__
    if isinstance(cause, json.JSONDecodeError):
        detail = f"malformed JSON at line {cause.lineno} column {cause.colno}: {cause.msg}"
        return api.create_response(request, {"detail": detail}, status=400)
    if isinstance(cause, UnicodeDecodeError):
        detail = f"request body is not UTF-8 (byte {cause.start})"
        return api.create_response(request, {"detail": detail}, status=400)
    response = api.create_response(request, {"detail": exc.message}, status=exc.status_code)
    if isinstance(exc, AuthenticationError):
        response["WWW-Authenticate"] = 'Bearer realm="turntide"'
    if isinstance(exc, Throttled) and exc.wait is not None:
        response["Retry-After"] = str(exc.wait)
    return response
