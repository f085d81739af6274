"""The survey workspace: researchers and managers upload survey files (encrypted at rest),
declare the design once, read suppressed estimates with intervals, download them, and
delete files on request or after the retention period; all of it audited."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from turntide.audit.models import Event
from turntide.insights.campaigns import do_record_campaign
from turntide.insights.surveys.actions import do_delete_expired_waves
from turntide.insights.surveys.models import Survey, Wave

pytestmark = pytest.mark.django_db

# Two strata (weights 2 and 3) of two schools of six each. `aware`: 3 and 2 respondents in the
# north's schools; in the south's, `aware_south` and one fewer.
HEADER = "region,school,w,aware,age\n"


def wave_csv(aware_south: int = 0) -> bytes:
    lines = [HEADER]
    aware_by_school = {"n1": 3, "n2": 2, "s1": aware_south, "s2": max(aware_south - 1, 0)}
    for school, aware in aware_by_school.items():
        region, weight = ("north", 2) if school.startswith("n") else ("south", 3)
        for number in range(6):
            age = "11-13" if number < 5 else "16-17"
            lines.append(f"{region},{school},{weight},{int(number < aware)},{age}\n")
    return "".join(lines).encode()


def upload(client: Client, content: bytes, *, name: str = "Awareness", day: str = "2024-03-01"):
    return client.post(
        "/insights/surveys/",
        {
            "survey_name": name,
            "fielded_on": day,
            "file": SimpleUploadedFile("wave.csv", content, content_type="text/csv"),
        },
    )


def declare(client: Client, survey: Survey, **fields: str):
    data = {"weight": "w", "strata": "region", "cluster": "school", **fields}
    return client.post(f"/insights/surveys/{survey.code}/", data)


@pytest.fixture
def declared(client: Client, researcher) -> Survey:
    client.force_login(researcher)
    assert upload(client, wave_csv()).status_code == 302
    survey = Survey.objects.get()
    response = declare(
        client, survey, indicator_column="aware", indicator_value="1", indicator_label="awareness"
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    survey.refresh_from_db()
    return survey


def ask(client: Client, survey: Survey, path: str = "estimates/", **fields: str):
    wave = survey.waves.order_by("fielded_on").first()
    assert wave is not None
    query = {"wave": wave.code, "statistic": "proportion", "variable": "aware", "value": "1"}
    return client.get(f"/insights/surveys/{survey.code}/{path}", query | fields)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("researcher", 200), ("manager", 200), ("analyst", 403), ("administrator", 403)],
)
def test_only_researchers_and_managers_open_the_workspace(
    client: Client, request: pytest.FixtureRequest, persona: str, status: int
) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/insights/surveys/").status_code == status


def test_a_member_cannot_upload_and_an_analyst_cannot_see_a_survey(
    client: Client, declared: Survey, analyst, make_staff
) -> None:
    client.force_login(make_staff("member-user", "member administrator"))
    assert upload(client, wave_csv(), name="Sneaky").status_code == 403
    client.force_login(analyst)
    assert client.get(f"/insights/surveys/{declared.code}/").status_code == 404
    assert ask(client, declared).status_code == 404
    assert ask(client, declared, "estimates.csv").status_code == 404
    assert not Survey.objects.filter(name="Sneaky").exists()


def test_the_stored_file_is_encrypted_not_the_plain_bytes(declared: Survey) -> None:
    stored = bytes(Wave.objects.get().content)
    plain = wave_csv()
    assert stored != plain
    assert b"north" not in stored
    assert b"region" not in stored


def test_the_upload_and_the_design_are_audited(declared: Survey) -> None:
    uploaded = Event.objects.get(action="survey.wave_uploaded", object_code=declared.code)
    assert uploaded.actor == "rhea"
    assert uploaded.details["rows"] == 24
    declared_event = Event.objects.get(action="survey.design_declared")
    assert declared_event.details["strata"] == "region"


def test_an_upload_never_spills_to_a_temporary_file(
    client: Client, researcher, settings, tmp_path
) -> None:
    """Django writes uploads over FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file: here
    that folder does not exist, so the upload would fail if it were used."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "missing")
    client.force_login(researcher)
    assert upload(client, wave_csv()).status_code == 302
    assert Wave.objects.get().rows == 24


def test_a_researcher_reads_a_proportion_with_its_interval(client: Client, declared) -> None:
    response = ask(client, declared)
    page = response.content.decode()
    assert response.status_code == 200, page[:3000]
    # North: 5 aware of weight 2; south: none; of a total weight 60: 10 / 60.
    assert "16.7%" in page
    assert "<svg" in page
    assert "95% interval" in page
    assert Event.objects.filter(action="survey.estimated", object_code=declared.code).exists()


def test_small_groups_are_suppressed_with_a_complement(client: Client, declared) -> None:
    page = ask(client, declared, by="age").content.decode()
    # 16-17: 4 respondents, under the threshold of 10; the only other group goes with it.
    assert "&lt;10" in page
    assert page.count("not shown: too few respondents") == 2


def test_the_csv_download_is_audited_and_escaped(client: Client, declared) -> None:
    response = ask(client, declared, "estimates.csv")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0]["variable"] == "aware=1"
    assert float(rows[0]["estimate"]) == pytest.approx(1 / 6)
    assert Event.objects.filter(action="survey.downloaded").count() == 1


def test_a_bad_design_names_the_column_and_stores_nothing(client: Client, researcher) -> None:
    client.force_login(researcher)
    upload(client, wave_csv())
    survey = Survey.objects.get()
    response = declare(client, survey, weight="weights")
    assert response.status_code == 400
    assert "no column &#x27;weights&#x27;" in response.content.decode()
    survey.refresh_from_db()
    assert survey.design_declared_at is None
    assert survey.weight == ""
    assert not Event.objects.filter(action="survey.design_declared").exists()


def test_a_wave_that_does_not_fit_the_design_is_not_stored(client: Client, declared) -> None:
    response = upload(client, b"school,aware\n1,1\n2,0\n", day="2025-03-01")
    assert response.status_code == 400
    assert "no column &#x27;w&#x27;" in response.content.decode()
    assert declared.waves.count() == 1


def test_two_waves_give_a_before_after_change(client: Client, declared) -> None:
    assert upload(client, wave_csv(aware_south=3), day="2025-03-01").status_code == 302
    declared.refresh_from_db()
    assert declared.headline is not None
    # South now 5 aware of weight 3: 10/60 -> 25/60, 25 points.
    assert declared.headline["change"] == pytest.approx(25.0)
    assert declared.headline["low"] < 25 < declared.headline["high"]
    later = declared.waves.order_by("fielded_on").last()
    page = ask(client, declared, against=later.code).content.decode()
    assert "+25.0 points" in page


def test_deleting_a_wave_removes_its_bytes_and_is_audited(client: Client, declared) -> None:
    wave = Wave.objects.get()
    response = client.post(f"/insights/surveys/{declared.code}/waves/{wave.code}/delete/")
    assert response.status_code == 302
    assert not Wave.objects.exists()
    assert Event.objects.filter(action="survey.wave_deleted", object_code=declared.code).exists()


def test_waves_past_the_retention_period_are_deleted(declared: Survey, settings) -> None:
    settings.TURNTIDE_SURVEY_RETENTION_DAYS = 30
    Wave.objects.update(uploaded_at=timezone.now() - timedelta(days=31))
    fresh = Wave.objects.create(
        survey=declared, fielded_on="2025-01-01", filename="x.csv", content=b"", rows=1
    )
    assert do_delete_expired_waves() == 1
    assert list(Wave.objects.all()) == [fresh]
    assert Event.objects.filter(action="survey.wave_expired", actor="system").count() == 1


def test_the_campaign_page_shows_the_before_after_beside_the_url_trend(
    client: Client, declared: Survey, manager
) -> None:
    campaign = do_record_campaign(manager, name="Talk first", start=date(2024, 6, 1))
    Survey.objects.filter(pk=declared.pk).update(campaign=campaign)
    assert upload(client, wave_csv(aware_south=3), day="2025-03-01").status_code == 302
    client.force_login(manager)
    page = client.get(f"/insights/campaigns/{campaign.code}/").content.decode()
    assert "awareness rose by 25.0 points (95% CI" in page
