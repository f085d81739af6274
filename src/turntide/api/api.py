"""The NinjaAPI instance: routers, JSON error shapes, and the OpenAPI schema."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation

from turntide.api.feedback import router as feedback_router
from turntide.api.hashes import router as hashes_router
from turntide.api.lists import router as lists_router
from turntide.api.reports import router as reports_router

ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
TOKEN_ANSWERS = {
    "401": {
        "description": "Missing, unknown, revoked or expired token; for a real token that no "
        'longer works, `detail` says why ("token revoked on 2026-12-01 09:30 UTC")',
        "headers": {"WWW-Authenticate": {"schema": {"type": "string"}}},
        "content": ERROR,
    },
    "403": {"description": "The token is not scoped to this service", "content": ERROR},
    "429": {
        "description": "Over the token's requests per minute",
        "headers": {"Retry-After": {"schema": {"type": "integer"}}},
        "content": ERROR,
    },
}
BAD_REQUEST = {"description": "Invalid parameters or body", "content": ERROR}


class TurntideAPI(NinjaAPI):
    """Every token-guarded operation declares the answers of `ServiceToken` (401, 403, 429),
    and every operation that takes input its 400, so a generated client parses them instead
    of dropping them as undocumented. Operation ids are the view names (`url_list`), which
    become the generated client's function names."""

    def get_openapi_operation_id(self, operation: Operation) -> str:
        return operation.view_func.__name__

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for methods in schema["paths"].values():
            for operation in methods.values():
                answers = {str(code): answer for code, answer in operation["responses"].items()}
                if operation.get("parameters") or operation.get("requestBody"):
                    answers.setdefault("400", BAD_REQUEST)
                if operation.get("security"):
                    answers = {**TOKEN_ANSWERS, **answers}
                operation["responses"] = dict(sorted(answers.items()))
        return schema


api = TurntideAPI(
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
api.add_router("/", feedback_router)


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
