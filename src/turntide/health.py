"""Health endpoints for load balancers and orchestrators."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def liveness(request: HttpRequest) -> HttpResponse:
    """The process answers HTTP. Touches nothing else, so it also marks the framework's ceiling."""
    return HttpResponse("ok\n", content_type="text/plain")
