"""The survey workspace at /insights/surveys/: researchers and managers only."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from turntide.access import staff_required
from turntide.insights.surveys.access import (
    PERMISSION,
    survey_by_code,
    surveys,
    wave_of,
    waves_of,
)
from turntide.insights.surveys.actions import (
    BadSurvey,
    do_declare_design,
    do_delete_wave,
    do_download_estimates,
    do_estimate,
    do_upload_wave,
)
from turntide.insights.surveys.charts import interval_chart
from turntide.insights.surveys.estimates import Question
from turntide.insights.surveys.forms import DesignForm, QuestionForm, UploadForm
from turntide.insights.surveys.models import Survey
from turntide.insights.surveys.uploads import InMemoryOnly, too_large


@csrf_exempt  # the inner view checks the token, after the upload handler is set
def workspace(request: HttpRequest) -> HttpResponse:
    """GET: the surveys and the upload form. POST: a new wave, encrypted."""
    request.upload_handlers = [InMemoryOnly(request)]
    return _workspace(request)


@staff_required(PERMISSION)
@csrf_protect
def _workspace(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None, too_large=too_large(request))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            wave = do_upload_wave(
                request.user,
                survey_name=form.cleaned_data["survey_name"],
                fielded_on=form.cleaned_data["fielded_on"],
                filename=upload.name,
                content=upload.read(),
                campaign=form.cleaned_data["campaign"],
            )
        except BadSurvey as error:
            form.add_error("file", str(error))
        else:
            messages.success(
                request, _("Wave of %(date)s stored, encrypted.") % {"date": wave.fielded_on}
            )
            return redirect("insights:survey", code=wave.survey.code)
    context = {
        "form": form,
        "surveys": surveys(),
        "retention_days": settings.TURNTIDE_SURVEY_RETENTION_DAYS,
    }
    return render(
        request, "insights/surveys/workspace.html", context, status=400 if form.errors else 200
    )


def _survey_page(
    request: HttpRequest, survey: Survey, design: DesignForm, status: int = 200
) -> HttpResponse:
    waves = waves_of(survey)
    context = {
        "survey": survey,
        "waves": waves,
        "design_form": design,
        "question_form": QuestionForm(waves, initial={"statistic": "proportion"}),
    }
    return render(request, "insights/surveys/survey.html", context, status=status)


@staff_required(PERMISSION, hide=True)
@require_http_methods(["GET", "POST"])
def survey_page(request: HttpRequest, code: str) -> HttpResponse:
    """The waves, the design (declared once, here), and the question to estimate."""
    survey = survey_by_code(code)
    if request.method != "POST":
        return _survey_page(request, survey, DesignForm.of(survey))
    form = DesignForm.of(survey, request.POST)
    if form.is_valid():
        fields = dict(form.cleaned_data)
        fields["rake"] = fields["rake"].splitlines()
        try:
            do_declare_design(request.user, survey, **fields)
        except BadSurvey as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Design declared: every estimate of this survey uses it."))
            return redirect("insights:survey", code=survey.code)
    return _survey_page(request, survey, form, status=400)


@staff_required(PERMISSION, hide=True)
@require_POST
def delete_wave(request: HttpRequest, code: str, wave: str) -> HttpResponse:
    found = wave_of(survey_by_code(code), wave)
    do_delete_wave(request.user, found)
    messages.success(
        request,
        _("The wave of %(date)s (%(file)s) is deleted.")
        % {"date": found.fielded_on, "file": found.filename},
    )
    return redirect("insights:survey", code=code)


def _asked(form: QuestionForm) -> Question:
    data = form.cleaned_data
    return Question(data["statistic"], data["variable"], data["value"] or None, data["by"] or None)


@staff_required(PERMISSION, hide=True)
@require_GET
def estimates(request: HttpRequest, code: str) -> HttpResponse:
    """The table, its chart and, given a second wave, the change between the two."""
    survey = survey_by_code(code)
    form = QuestionForm(waves_of(survey), request.GET)
    context: dict[str, object] = {"survey": survey, "question_form": form}
    if form.is_valid():
        data = form.cleaned_data
        against = wave_of(survey, data["against"]) if data["against"] else None
        wave = wave_of(survey, data["wave"])
        try:
            found, other, differences = do_estimate(request.user, wave, _asked(form), against)
        except BadSurvey as error:
            form.add_error(None, str(error))
        else:
            context |= {
                "table": found,
                "other": other,
                "differences": differences,
                "chart": interval_chart(found, f"{found.variable}, {found.question.statistic}"),
                "csv_query": request.GET.urlencode(),
            }
    status = 400 if form.errors else 200
    return render(request, "insights/surveys/estimates.html", context, status=status)


@staff_required(PERMISSION, hide=True)
@require_GET
def download(request: HttpRequest, code: str) -> HttpResponse:
    survey = survey_by_code(code)
    form = QuestionForm(waves_of(survey), request.GET)
    if not form.is_valid():
        return redirect("insights:survey", code=code)
    wave = wave_of(survey, form.cleaned_data["wave"])
    try:
        filename, text = do_download_estimates(request.user, wave, _asked(form))
    except BadSurvey:
        return redirect("insights:survey", code=code)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
