"""The survey workspace's errors in French and German, each keeping the column, row or value
it names: core raises them in English, the workspace says them in the user's language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.insights.test_survey_workspace import ask, declare, upload, wave_csv
from turntide.insights.surveys.models import Survey
from turntide.insights.surveys.uploads import MAX_UPLOAD_BYTES

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(client: Client, researcher) -> Survey:
    """One wave uploaded, its design not yet declared."""
    client.force_login(researcher)
    assert upload(client, wave_csv()).status_code == 302
    return Survey.objects.get()


def declared(client: Client, survey: Survey) -> Survey:
    assert declare(client, survey).status_code == 302
    return survey


def misfit_wave(client: Client, survey: Survey) -> Any:
    """A second wave without the declared design's weight column."""
    declared(client, survey)
    return upload(client, b"school,aware\n1,1\n2,0\n", day="2025-03-01")


def unreadable_file(client: Client, survey: Survey) -> Any:
    spss = SimpleUploadedFile("wave.sav", b"not an SPSS file")
    fields = {"survey_name": survey.name, "fielded_on": "2025-03-01", "file": spss}
    return client.post("/insights/surveys/", fields)


COLUMNS = "region, school, w, aware, age"
# What the user did, and what a French and a German user read.
MISTAKES: dict[str, tuple[Callable[[Client, Survey], Any], str, str]] = {
    "a design column the file lacks": (
        lambda client, survey: declare(client, survey, weight="weights"),
        f"vague du 2024-03-01 (wave.csv) : aucune colonne « weights » dans le fichier "
        f"(ses colonnes : {COLUMNS})",
        f"Welle vom 2024-03-01 (wave.csv): keine Spalte „weights“ in der Datei "
        f"(ihre Spalten: {COLUMNS})",
    ),
    "a raking value the data lack": (
        lambda client, survey: declare(client, survey, rake="region:east=10,north=20"),
        "la valeur « east » n\u2019apparaît pas dans la colonne « region »",
        "der Wert „east“ kommt in Spalte „region“ nicht vor",
    ),
    "a badly written raking margin": (
        lambda client, survey: declare(client, survey, rake="region"),
        "marge de calage : « region » n\u2019est pas de la forme VARIABLE:VALEUR=TOTAL",
        "Randsumme für das Raking: „region“ hat nicht die Form VARIABLE:WERT=SUMME",
    ),
    "a stratum too small for a standard error": (
        lambda client, survey: declare(client, survey, cluster="region"),
        "la strate « north » n\u2019a qu\u2019une UPE : une erreur type en demande au moins deux",
        "die Schicht „north“ hat nur eine PSU: ein Standardfehler braucht mindestens zwei",
    ),
    "a wave that does not fit the design": (
        misfit_wave,
        "wave.csv : aucune colonne « w » dans le fichier (ses colonnes : school, aware)",
        "wave.csv: keine Spalte „w“ in der Datei (ihre Spalten: school, aware)",
    ),
    "a question about a column the file lacks": (
        lambda client, survey: ask(client, declared(client, survey), variable="awareness"),
        "vague du 2024-03-01 : aucune colonne « awareness » dans le fichier",
        "Welle vom 2024-03-01: keine Spalte „awareness“ in der Datei",
    ),
    "a column that is not numeric": (
        lambda client, survey: ask(
            client, declared(client, survey), statistic="mean", variable="age"
        ),
        "la colonne « age » doit être numérique : la ligne 1 contient « 11-13 »",
        "Spalte „age“ muss Zahlen enthalten: Zeile 1 enthält „11-13“",
    ),
    "a file that cannot be read": (
        unreadable_file,
        "wave.sav : le fichier ne peut être lu ni comme CSV, ni comme SPSS .sav, ni comme "
        "Stata .dta (",
        "wave.sav: die Datei lässt sich weder als CSV noch als SPSS-.sav oder Stata-.dta lesen (",
    ),
}


@pytest.mark.parametrize("language", ["fr", "de"])
@pytest.mark.parametrize("mistake", MISTAKES)
def test_a_survey_error_is_said_in_the_users_language(
    client: Client, survey: Survey, mistake: str, language: str
) -> None:
    act, french, german = MISTAKES[mistake]
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    response = act(client, survey)
    assert response.status_code == 400
    assert (french if language == "fr" else german) in response.content.decode()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "The file is larger than 50 MB, the most one wave may be"),
        ("fr", "Le fichier dépasse 50 Mo, la taille maximale d\u2019une vague"),
        ("de", "Die Datei ist größer als 50 MB, das Höchstmaß für eine Welle"),
    ],
)
def test_a_file_over_50_mb_is_refused_with_its_size_not_as_missing(
    client: Client, researcher, language: str, message: str
) -> None:
    client.force_login(researcher)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    response = upload(client, wave_csv() + b"north,n1,2,0,11-13\n" * (MAX_UPLOAD_BYTES // 18))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Survey.objects.exists()
