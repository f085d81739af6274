"""The vocabulary is a stored table seeded from ICCAM's v3 enumerations; `turntide iccam
lookups` refreshes it, and an outage of the lookups changes nothing and stops no round."""

from __future__ import annotations

from turntide.cli import main
from turntide.exchange.models import IccamTerm, VocabularyMapping


def test_the_seed_maps_the_grading_to_the_v3_ids(db) -> None:
    mapped = {
        (m.lookup, m.turntide_value): m.term.iccam_id
        for m in VocabularyMapping.objects.select_related("term")
    }
    assert mapped[("classifications", "baseline")] == 1
    assert mapped[("classifications", "not_mappable")] == 2
    assert mapped[("age-categories", "pubescent")] == 4
    assert mapped[("action-types", "not_illegal")] == 6
    assert IccamTerm.objects.filter(lookup="action-reasons").count() == 21


def test_lookups_refresh_names_and_mark_withdrawn_values(iccam, capsys) -> None:
    assert main(["iccam", "lookups"]) == 0
    assert "site-types: 2 values" in capsys.readouterr().out
    assert IccamTerm.objects.get(lookup="site-types", iccam_id=2).name == "Website (any)"
    withdrawn = IccamTerm.objects.get(lookup="site-types", iccam_id=24)
    assert not withdrawn.listed
    # Still mapped, so the administrator sees what to change.
    assert VocabularyMapping.objects.filter(term=withdrawn).exists()


def test_a_lookup_outage_keeps_the_stored_vocabulary_and_rounds_go_on(
    iccam, sync, criminal_case, capsys
) -> None:
    before = list(IccamTerm.objects.values_list("lookup", "iccam_id", "name", "listed"))
    iccam.lookups_down = True
    assert main(["iccam", "lookups"]) == 1
    assert "kept the stored values of classifications (HTTP 503)" in capsys.readouterr().err
    assert list(IccamTerm.objects.values_list("lookup", "iccam_id", "name", "listed")) == before
    assert sync() == 0
    assert iccam.writes("POST", "rest/reports")[0].body["sourceUrlSiteType"] == 6
