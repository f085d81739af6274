"""Items ICCAM assigned to our country come in through the one intake every report uses,
are claimed with the case code, and keep the partner's assessment as theirs."""

from __future__ import annotations

from turntide.audit.models import Event
from turntide.cases.models import URLCase
from turntide.exchange import sync as sync_module
from turntide.exchange.models import ExchangedItem, Round
from turntide.reports.actions import do_receive_report

PARTNER_ASSESSMENT = {
    "assessingAnalystName": "analyst-nl",
    "classification": 1,
    "ageCategorization": 3,
    "genderCategorization": 4,
    "virtualContentCategorization": 0,
    "userGeneratedContentCategorization": 1,
    "childModelingCategorization": 0,
}


def test_an_assigned_item_becomes_a_case_claimed_with_its_code(iccam, sync) -> None:
    item = iccam.add_content(
        "http://shared.example/pics/3",
        "GB",
        "2026-03-01T10:00:00+00:00",
        memo="Found via a link list.",
        assessments=[{"classification": 2}, PARTNER_ASSESSMENT],
    )
    assert sync() == 0
    case = URLCase.objects.get(canonical_url="http://shared.example/pics/3")
    assert case.status == "new"  # our analysts judge it; the partner's judgement is not ours
    assert not case.assessments.exists()
    [link] = case.case_reports.select_related("reported_url__report")
    report = link.reported_url.report
    assert (report.channel, report.source) == ("trusted", "ICCAM")
    assert link.reported_url.external_reference == f"{item.report_id}#{item.content_id}"
    assert link.reported_url.notes == "Found via a link list."
    stored = ExchangedItem.objects.get(content_id=item.content_id)
    assert (stored.case, stored.origin, stored.assigned_country) == (case, "imported", "GB")
    assert stored.partner_assessment == {
        "classification": "Baseline CSAM",
        "age": "Pre-pubescent",
        "gender": "Both",
        "virtual": False,
        "user_generated": True,
        "analyst": "analyst-nl",
    }
    assert item.reference == case.code
    [claim] = iccam.writes("PUT", f"rest/Content/{item.content_id}/hotline-reference")
    assert claim.query == {"reference": case.code}
    assert Event.objects.filter(action="iccam.imported", object_code=case.code).exists()
    assert Round.objects.get().imported == 1


def test_an_item_for_a_known_address_joins_its_case(iccam, sync) -> None:
    _report, urls = do_receive_report("public", ["http://known.example/x"])
    item = iccam.add_content("http://KNOWN.example/x", "GB", "2026-03-01T10:00:00+00:00")
    assert sync() == 0
    case = URLCase.objects.get(url_key=urls[0].url_key)
    assert (case.report_count, URLCase.objects.count()) == (2, 1)
    assert item.reference == case.code


def test_items_of_other_countries_are_left_and_a_page_at_a_time_is_read(
    iccam, sync, monkeypatch
) -> None:
    monkeypatch.setattr(sync_module, "PAGE_SIZE", 2)
    for day in range(1, 6):
        country = "FR" if day == 2 else "GB"
        iccam.add_content(f"http://many.example/{day}", country, f"2026-03-0{day}T09:00:00+00:00")
    assert sync() == 0
    assert sorted(URLCase.objects.values_list("canonical_url", flat=True)) == [
        f"http://many.example/{day}" for day in (1, 3, 4, 5)
    ]
    assert [c.reference != "" for c in iccam.contents.values()] == [1, 0, 1, 1, 1]
    reads = len(iccam.writes("GET", "rest/Content/"))
    assert sync() == 0  # the next round starts where this one settled: nothing to take in
    assert URLCase.objects.count() == 4
    assert len(iccam.writes("PUT", "rest/Content/")) == 4
    assert len(iccam.writes("GET", "rest/Content/")) - reads <= 3


def test_a_case_from_iccam_is_never_inserted_back(iccam, sync, analyst) -> None:
    from turntide.cases.actions import do_assess
    from turntide.cases.models import Assessment

    iccam.add_content("http://back.example/1", "GB", "2026-03-01T10:00:00+00:00")
    assert sync() == 0
    case = URLCase.objects.get()
    do_assess(analyst, case, Assessment(outcome="criminal", category="B", age_group="7-10"))
    assert sync() == 0
    assert iccam.writes("POST", "rest/reports") == []
