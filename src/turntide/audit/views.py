"""The audit trail for managers and administrators: filter, page, export, verify."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from turntide.access import staff_required
from turntide.audit.actions import record
from turntide.audit.forms import DEFAULT_SIZE, TrailFilter
from turntide.audit.tasks import verify_audit_chain
from turntide.audit.trail import csv_rows, filtered, last_check, object_link, page_of
from turntide.core.csvcells import csv_lines

READ = "view_audit_trail"


def _filter_form(request: HttpRequest) -> TrailFilter:
    data = request.GET.copy()
    data.setdefault("size", str(DEFAULT_SIZE))
    return TrailFilter(data)


def _query(form: TrailFilter, **extra: Any) -> str:
    values = {name: str(value) for name, value in form.filters().items()}
    return urlencode(values | {k: v for k, v in extra.items() if v is not None})


@staff_required(READ)
def trail(request: HttpRequest) -> HttpResponse:
    form = _filter_form(request)
    context: dict[str, Any] = {"form": form, "check": last_check()}
    if not form.is_valid():
        return render(request, "audit/trail.html", context, status=400)
    size = form.cleaned_data["size"]
    page = page_of(
        filtered(form.filters()),
        before=form.cleaned_data["before"],
        after=form.cleaned_data["after"],
        size=size,
    )
    here = reverse("audit:trail")
    context |= {
        "rows": [(event, object_link(event)) for event in page.events],
        "newest_url": f"{here}?{_query(form, size=size)}" if page.newer else "",
        "newer_url": f"{here}?{_query(form, size=size, after=page.newer)}" if page.newer else "",
        "older_url": f"{here}?{_query(form, size=size, before=page.older)}" if page.older else "",
        "export_url": f"{reverse('audit:export')}?{_query(form)}",
    }
    return render(request, "audit/trail.html", context)


@staff_required(READ)
def export(request: HttpRequest) -> HttpResponseBase:
    """The filtered trail as CSV, newest first, streamed however long it is."""
    form = TrailFilter(request.GET)
    if not form.is_valid():
        return render(request, "audit/trail.html", {"form": form}, status=400)
    filters = {name: str(value) for name, value in form.filters().items()}
    record(request.user, "audit.exported", object_type="audit", details={"filters": filters})
    response = StreamingHttpResponse(
        csv_lines(csv_rows(filtered(form.filters()))), content_type="text/csv; charset=utf-8"
    )
    filename = f"turntide-audit-trail-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_POST
@staff_required(READ)
def verify(request: HttpRequest) -> HttpResponse:
    """Queue a walk of the whole chain for the worker: too long to run within a request."""
    verify_audit_chain.enqueue()
    messages.success(
        request, _("Verification queued: its result shows here once the worker ran it.")
    )
    return redirect("audit:trail")
