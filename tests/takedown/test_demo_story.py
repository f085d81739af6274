"""The demo's removal story on loopback: traced, routed, noticed, re-checked, removed, counted."""

from __future__ import annotations

from datetime import timedelta

from django_tasks_db.models import DBTaskResult

from turntide.cases.actions import do_assess
from turntide.cases.models import Assessment, URLCase
from turntide.reports.actions import do_receive_report
from turntide.takedown.demo import DEMO_REFERENCE, drop_seeded_history_starts, seed_removal_story
from turntide.takedown.figures import removal_figures
from turntide.takedown.models import Recheck, Takedown


def test_the_seeded_history_starts_no_takedown(
    analyst, reported_case, django_capture_on_commit_callbacks
) -> None:
    _report, urls = do_receive_report(
        "public", ["http://seeded.example/1"], reference="TT-DM00-0001"
    )
    seeded = URLCase.objects.get(url_key=urls[0].url_key)
    with django_capture_on_commit_callbacks(execute=True):
        for case in (seeded, reported_case):
            do_assess(analyst, case, Assessment(outcome="criminal", category="C"))
    assert drop_seeded_history_starts() == 1
    queued = DBTaskResult.objects.filter(task_path="turntide.takedown.tasks.start_takedown")
    assert [row.args_kwargs["args"] for row in queued] == [[reported_case.pk]]


def test_the_story_ends_with_a_removal_the_figures_show(make_staff, settings, mailoutbox):
    settings.TURNTIDE_CHECKER_ALLOW_PRIVATE = True
    make_staff("analyst", "analyst")
    assert seed_removal_story() > 0
    case = URLCase.objects.get(case_reports__reported_url__report__reference=DEMO_REFERENCE)
    takedown = Takedown.objects.get(case=case)
    assert takedown.route == Takedown.Route.HOME
    assert [message.to for message in mailoutbox] == [["abuse@hosting.example"]]
    states = list(Recheck.objects.filter(takedown=takedown).values_list("state", flat=True))
    assert states == ["online", "offline", "offline"]
    assert case.status == URLCase.Status.REMOVED
    assert case.removed_at - case.actioned_at == timedelta(hours=28)
    assert ("route", "home", 1, 28.0) in {
        (f.dimension, f.key, f.removed, f.median_hours) for f in removal_figures()
    }
    assert seed_removal_story() == 0  # idempotent
    assert Takedown.objects.count() == 1


def test_the_story_runs_when_its_judgement_is_drawn_for_verification(
    make_staff, settings, mailoutbox
) -> None:
    settings.TURNTIDE_CHECKER_ALLOW_PRIVATE = True
    settings.TURNTIDE_VERIFICATION_RULES = ["sample:100"]  # every judgement is verified
    make_staff("analyst", "analyst")
    make_staff("senior", "senior analyst")
    seed_removal_story()
    case = URLCase.objects.get(case_reports__reported_url__report__reference=DEMO_REFERENCE)
    assert case.status == URLCase.Status.REMOVED
    assert list(case.assessments.values_list("kind", flat=True)) == ["initial", "verification"]
