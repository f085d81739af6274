"""The demo's removal story on loopback: traced, routed, noticed, re-checked, removed, counted."""

from __future__ import annotations

from datetime import timedelta

from turntide.cases.models import URLCase
from turntide.takedown.demo import DEMO_REFERENCE, seed_removal_story
from turntide.takedown.figures import removal_figures
from turntide.takedown.models import Recheck, Takedown


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
