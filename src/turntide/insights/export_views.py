"""Managers request row-level case exports and download them once the worker wrote them."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from turntide.access import staff_required
from turntide.insights.case_export import export_path
from turntide.insights.export_actions import do_record_download, do_request_case_export
from turntide.insights.models import CaseExport

READ = "view_statistics"
LISTED = 50


class ExportForm(forms.Form):
    start = forms.DateField(
        label=_("First reported from"), widget=forms.DateInput({"type": "date"})
    )
    end = forms.DateField(label=_("to (included)"), widget=forms.DateInput({"type": "date"}))

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if cleaned.get("start") and cleaned.get("end") and cleaned["start"] > cleaned["end"]:
            self.add_error("end", _("The end comes before the start."))
        return cleaned


@staff_required(READ)
def exports(request: HttpRequest) -> HttpResponse:
    form = ExportForm(request.POST or None)
    if form.is_valid():
        export = do_request_case_export(
            request.user,  # type: ignore[arg-type]
            form.cleaned_data["start"],
            form.cleaned_data["end"],
        )
        messages.success(
            request,
            _("Export %(code)s queued: it appears below when ready.") % {"code": export.code},
        )
        return redirect("insights:exports")
    listed = CaseExport.objects.select_related("requested_by")[:LISTED]
    status = 400 if form.is_bound else 200
    return render(
        request, "insights/exports.html", {"form": form, "exports": listed}, status=status
    )


@staff_required(READ, hide=True)
def download(request: HttpRequest, code: str) -> FileResponse:
    export = CaseExport.objects.filter(code=code, status=CaseExport.Status.DONE).first()
    if export is None or not export_path(export).exists():
        raise Http404
    do_record_download(request.user, export)  # type: ignore[arg-type]
    return FileResponse(
        export_path(export).open("rb"),
        as_attachment=True,
        filename=export.filename,
        content_type="text/csv; charset=utf-8",
    )
