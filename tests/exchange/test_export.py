"""`turntide iccam sync` inserts each case our analysts judged criminal, once, with every
field mapped through the vocabulary table, and stores the content ids ICCAM gives it."""

from __future__ import annotations

import pytest

from turntide.audit.models import Event
from turntide.cases.importing import import_assessments
from turntide.exchange.models import Call, ExchangedItem, Round, VocabularyMapping


def test_a_criminal_case_is_inserted_with_every_mapped_field(iccam, sync, criminal_case) -> None:
    assert sync() == 0
    [insert] = iccam.writes("POST", "rest/reports")
    assert insert.body == {
        "reportingAnalystName": "ada",
        "hotlineReceivedDate": criminal_case.first_reported_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "hotlineReference": criminal_case.code,
        "memo": "",
        "sourceUrlSiteType": 6,  # forum
        "sourceUrlCommerciality": 2,  # commercial
        "sourceUrlPaymentMethods": [1],  # not determined
        "urls": [
            {
                "urlString": "http://gallery.example/albums/7",
                "hotlineReference": criminal_case.code,
                "hostingCountryCode": "NL",  # the analyst's, before the trace's DE
                "hostingIpAddress": "192.0.2.10",
                "hostingIsp": "Example Hosting BV",
                "hostingOrganization": {
                    "organizationName": "Example Hosting BV",
                    "autonomousSystemNumber": 64500,
                    "isContentDeliveryNetwork": False,
                },
                "isSourceUrl": True,
                "memo": "",
                "contentType": 2,
                "assessment": {
                    "assessingAnalystName": "ada",
                    "classification": 1,  # Baseline: category A, aged 3-6
                    "ageCategorization": 3,  # pre-pubescent
                    "genderCategorization": 2,  # female
                    "virtualContentCategorization": 0,
                    "userGeneratedContentCategorization": 1,  # self-generated
                    "childModelingCategorization": 0,
                },
                "actions": [],
            }
        ],
    }
    [item] = ExchangedItem.objects.all()
    [content_id] = iccam.contents
    assert (item.case, item.origin, item.content_id) == (criminal_case, "inserted", content_id)
    assert item.report_id == iccam.contents[content_id].report_id
    assert Call.objects.get(key=f"insert:{criminal_case.code}").status == "done"
    assert Event.objects.filter(action="iccam.insert", object_code=criminal_case.code).exists()
    assert Round.objects.get().exported == 1


def test_undecided_grading_is_sent_as_national_and_ai_made_as_virtual(iccam, sync, judge) -> None:
    case = judge(
        "http://drawn.example/1",
        outcome="criminal",
        category="C",
        age_group="11-13",
        ai_generated=True,
        hosting_country="US",
    )
    assert sync() == 0
    [insert] = iccam.writes("POST", "rest/reports")
    [url] = insert.body["urls"]
    assert url["hostingCountryCode"] == "US"
    assert (url["hostingIpAddress"], url["hostingIsp"]) == ("", "")  # not traced yet
    assessment = url["assessment"]
    assert (assessment["classification"], assessment["ageCategorization"]) == (2, 1)
    assert (assessment["genderCategorization"], assessment["virtualContentCategorization"]) == (
        1,
        1,
    )
    assert (insert.body["sourceUrlSiteType"], insert.body["sourceUrlCommerciality"]) == (2, 1)
    assert insert.body["hotlineReference"] == case.code


def test_the_mapping_table_decides_the_ids_sent(iccam, sync, criminal_case) -> None:
    mapping = VocabularyMapping.objects.get(lookup="site-types", turntide_value="forum")
    mapping.term = mapping.term.__class__.objects.get(lookup="site-types", iccam_id=5)
    mapping.save()
    assert sync() == 0
    assert iccam.writes("POST", "rest/reports")[0].body["sourceUrlSiteType"] == 5


def test_a_case_is_inserted_once_over_many_rounds(iccam, sync, criminal_case) -> None:
    assert sync() == 0
    assert sync() == 0
    assert len(iccam.writes("POST", "rest/reports")) == 1
    assert len(iccam.writes("GET", "rest/Reports/")) == 1
    assert list(Round.objects.values_list("exported", flat=True)) == [0, 1]


def test_other_judgements_and_historical_imports_are_not_exported(
    iccam, sync, judge, tmp_path
) -> None:
    judge("http://harmless.example/", outcome="not_illegal")
    history = tmp_path / "history.csv"
    history.write_text(
        "url,assessed_at,outcome\nhttp://old.example/a,2019-05-01T10:00:00Z,criminal\n"
    )
    import_assessments("cli", history)
    assert sync() == 0
    assert iccam.writes("POST", "rest/reports") == []


@pytest.mark.parametrize("status", [400, 503])
def test_a_refused_insert_is_final_and_an_unavailable_one_is_sent_again(
    iccam, sync, criminal_case, status
) -> None:
    iccam.forced = {("POST", "rest/reports"): status}
    assert sync() == 0
    call = Call.objects.get()
    assert (call.status, call.http_status) == ("failed" if status == 400 else "retry", status)
    assert str(status) in Round.objects.get().message
    iccam.forced = {}
    assert sync() == 0
    assert len(iccam.writes("POST", "rest/reports")) == (1 if status == 400 else 2)


def test_the_analysts_baseline_or_national_choice_is_what_is_sent(
    iccam, sync, client, analyst, reported_case
) -> None:
    """Category C aged 14-15 leaves the INHOPE scheme undecided; the analyst says Baseline."""
    client.force_login(analyst)
    grading = {
        "outcome": "criminal",
        "category": "C",
        "age_group": "14-15",
        "sex": "girls",
        "self_generated": "no",
        "legal_status": "baseline",
    }
    assert "ICCAM classification" in client.get(f"/cases/{reported_case.code}/").content.decode()
    assert client.post(f"/cases/{reported_case.code}/", grading).status_code == 302
    assert sync() == 0
    [insert] = iccam.writes("POST", "rest/reports")
    assert insert.body["urls"][0]["assessment"]["classification"] == 1  # Baseline CSAM


def test_the_choice_is_asked_only_while_the_exchange_is_on(client, analyst, reported_case) -> None:
    client.force_login(analyst)
    page = client.get(f"/cases/{reported_case.code}/").content.decode()
    assert "ICCAM classification" not in page
    assert 'name="legal_status"' not in page
