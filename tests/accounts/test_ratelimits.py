"""Rate-limit counts: one per request, per key and fixed window, none lost to a race."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from tests.helpers import THREADS, run_at_once
from turntide.accounts.models import RateWindow
from turntide.accounts.ratelimits import count_request, forget_ended_windows
from turntide.accounts.tasks import forget_ended_rate_windows

TEN_PAST = datetime(2026, 3, 2, 10, 10, tzinfo=UTC)


@pytest.mark.django_db
def test_each_request_is_counted_under_its_key_and_window() -> None:
    assert [count_request("api:a", 3600, TEN_PAST) for _ in range(3)] == [1, 2, 3]
    assert count_request("api:b", 3600, TEN_PAST) == 1
    assert count_request("api:a", 60, TEN_PAST) == 1  # another window length, another count
    assert count_request("api:a", 3600, TEN_PAST + timedelta(minutes=50)) == 1  # next hour
    assert count_request("api:a", 3600, TEN_PAST + timedelta(minutes=49)) == 4


@pytest.mark.django_db
def test_ended_windows_are_forgotten_by_the_hourly_job() -> None:
    count_request("public-report:digest", 3600, TEN_PAST)
    count_request("public-report:digest", 3600, TEN_PAST + timedelta(hours=1))
    assert forget_ended_windows(TEN_PAST + timedelta(minutes=50)) == 1
    assert RateWindow.objects.get().ends_at == datetime(2026, 3, 2, 12, tzinfo=UTC)
    assert forget_ended_rate_windows.call() == 1  # ended long before the real now


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions")
@pytest.mark.django_db(transaction=True)
def test_simultaneous_requests_each_get_their_own_count() -> None:
    counts: list[int] = []
    assert run_at_once(lambda _n: counts.append(count_request("api:burst", 60, TEN_PAST))) == []
    assert sorted(counts) == list(range(1, THREADS + 1))
