"""Every write of the survey workspace, and every reading of survey data, audited.

A file or design that does not fit raises `BadSurvey` naming the column or value, in the
user's language, and then nothing is stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from turntide.audit.actions import Actor, record
from turntide.core.survey import SurveyError
from turntide.core.surveydata import parse_margin, read_survey_bytes
from turntide.insights.models import Campaign
from turntide.insights.surveys.crypto import encrypt
from turntide.insights.surveys.errors import survey_message
from turntide.insights.surveys.estimates import (
    Difference,
    Question,
    Table,
    check_design,
    compare,
    headline,
    read_wave,
    table,
)
from turntide.insights.surveys.models import Survey, Wave

__all__ = [
    "BadSurvey",
    "do_declare_design",
    "do_delete_expired_waves",
    "do_delete_wave",
    "do_download_estimates",
    "do_estimate",
    "do_upload_wave",
]

SUFFIXES = (".csv", ".sav", ".zsav", ".dta")


class BadSurvey(ValueError):
    """A file, design or question that cannot be used; the message says which part."""


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


def _refresh_headline(survey: Survey) -> None:
    survey.headline = headline(survey)
    survey.save(update_fields=["headline"])


def do_upload_wave(
    actor: Actor,
    *,
    survey_name: str,
    fielded_on: date,
    filename: str,
    content: bytes,
    campaign: Campaign | None = None,
) -> Wave:
    """Store one wave of the named survey (made on its first upload), encrypted. A survey
    whose design is declared takes only a file that fits that design."""
    name = survey_name.strip()
    if not name:
        raise BadSurvey(_("a wave belongs to a named survey"))
    if not filename.lower().endswith(SUFFIXES):
        raise BadSurvey(
            _("%(file)s: upload a CSV, SPSS .sav or Stata .dta file") % {"file": filename}
        )
    try:
        data = read_survey_bytes(filename, content)
        if data.frame.empty:
            raise SurveyError("the file has no rows", "no_rows")
        existing = Survey.objects.filter(name=name).first()
        if existing is not None and existing.design_declared_at is not None:
            check_design(data, existing)
    except SurveyError as error:
        raise BadSurvey(
            _("%(file)s: %(error)s") % {"file": filename, "error": survey_message(error)}
        ) from None
    with transaction.atomic():
        survey, created = Survey.objects.get_or_create(
            name=name, defaults={"campaign": campaign, "created_by": _user(actor)}
        )
        wave = Wave.objects.create(
            survey=survey,
            fielded_on=fielded_on,
            filename=filename,
            content=encrypt(content),
            rows=len(data.frame),
            columns=[str(column) for column in data.frame.columns],
            uploaded_by=_user(actor),
        )
        record(
            actor,
            "survey.wave_uploaded",
            object_type="survey",
            object_code=survey.code,
            details={
                "wave": wave.code,
                "fielded_on": fielded_on.isoformat(),
                "filename": filename,
                "rows": wave.rows,
                "new_survey": created,
            },
        )
        _refresh_headline(survey)
    return wave


def do_declare_design(
    actor: Actor,
    survey: Survey,
    *,
    weight: str = "",
    strata: str = "",
    cluster: str = "",
    fpc: str = "",
    rake: Sequence[str] = (),
    indicator_label: str = "",
    indicator_column: str = "",
    indicator_value: str = "",
) -> Survey:
    """Declare the design (and headline indicator) once for every wave; it must fit each."""
    fields = {
        "weight": weight.strip(),
        "strata": strata.strip(),
        "cluster": cluster.strip(),
        "fpc": fpc.strip(),
        "rake": [margin.strip() for margin in rake if margin.strip()],
        "indicator_label": indicator_label.strip(),
        "indicator_column": indicator_column.strip(),
        "indicator_value": indicator_value.strip(),
    }
    if bool(fields["indicator_column"]) != bool(fields["indicator_value"]):
        raise BadSurvey(_("the headline indicator needs both a column and a value"))
    try:
        for margin in fields["rake"]:
            parse_margin(margin)
    except SurveyError as error:
        raise BadSurvey(_("raking margin: %(error)s") % {"error": survey_message(error)}) from None
    for name, value in fields.items():
        setattr(survey, name, value)
    for wave in survey.waves.all():
        try:
            check_design(read_wave(wave), survey)
        except SurveyError as error:
            survey.refresh_from_db()
            raise BadSurvey(
                _("wave of %(date)s (%(file)s): %(error)s")
                % {"date": wave.fielded_on, "file": wave.filename, "error": survey_message(error)}
            ) from None
    survey.design_declared_at = timezone.now()
    survey.headline = headline(survey)
    with transaction.atomic():
        survey.save(update_fields=[*fields, "design_declared_at", "headline"])
        record(
            actor,
            "survey.design_declared",
            object_type="survey",
            object_code=survey.code,
            details=fields,
        )
    return survey


def _forget(actor: Actor, wave: Wave, action: str) -> None:
    survey = wave.survey
    with transaction.atomic():
        deleted, _ = Wave.objects.filter(pk=wave.pk).delete()
        if deleted:
            record(
                actor,
                action,
                object_type="survey",
                object_code=survey.code,
                details={
                    "wave": wave.code,
                    "fielded_on": wave.fielded_on.isoformat(),
                    "filename": wave.filename,
                },
            )
            _refresh_headline(survey)


def do_delete_wave(actor: Actor, wave: Wave) -> None:
    """Delete an uploaded file on request; its estimates go with it."""
    _forget(actor, wave, "survey.wave_deleted")


def do_delete_expired_waves(now: datetime | None = None) -> int:
    """Delete the waves uploaded more than TURNTIDE_SURVEY_RETENTION_DAYS ago."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.TURNTIDE_SURVEY_RETENTION_DAYS)
    expired = list(Wave.objects.filter(uploaded_at__lt=cutoff).select_related("survey"))
    for wave in expired:
        _forget("system", wave, "survey.wave_expired")
    return len(expired)


def _table(wave: Wave, question: Question) -> Table:
    try:
        return table(wave, question)
    except SurveyError as error:
        raise BadSurvey(
            _("wave of %(date)s: %(error)s")
            % {"date": wave.fielded_on, "error": survey_message(error)}
        ) from None


def _audit_reading(actor: Actor, action: str, wave: Wave, question: Question) -> None:
    record(
        actor,
        action,
        object_type="survey",
        object_code=wave.survey.code,
        details={"wave": wave.code, **question.details()},
    )


def do_estimate(
    actor: Actor, wave: Wave, question: Question, against: Wave | None = None
) -> tuple[Table, Table | None, list[Difference]]:
    """The question's table on `wave` and, given a second wave, the change between them
    (earlier wave first)."""
    found = _table(wave, question)
    _audit_reading(actor, "survey.estimated", wave, question)
    if against is None:
        return found, None, []
    other = _table(against, question)
    _audit_reading(actor, "survey.estimated", against, question)
    first, second = sorted((found, other), key=lambda t: (t.wave.fielded_on, t.wave.uploaded_at))
    return found, other, compare(first, second)


def do_download_estimates(actor: Actor, wave: Wave, question: Question) -> tuple[str, str]:
    """The table as CSV (cells escaped for spreadsheets) and its file name."""
    found = _table(wave, question)
    _audit_reading(actor, "survey.downloaded", wave, question)
    filename = f"turntide-survey-{wave.survey.code}-{wave.fielded_on}.csv"
    return filename, found.csv_text()
