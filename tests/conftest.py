"""Shared fixtures: named personas and a fresh embedded home for every test session."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest

PASSWORD = "correct horse battery staple"


@pytest.fixture
def make_staff(db: None) -> Callable[..., object]:
    from turntide.accounts.actions import do_create_staff_user

    def make(username: str, *roles: str) -> object:
        return do_create_staff_user("system", username, PASSWORD, list(roles))

    return make


@pytest.fixture
def analyst(make_staff: Callable[..., object]) -> object:
    return make_staff("ada", "analyst")


@pytest.fixture
def senior_analyst(make_staff: Callable[..., object]) -> object:
    return make_staff("sam", "senior analyst")


@pytest.fixture
def manager(make_staff: Callable[..., object]) -> object:
    return make_staff("mia", "manager")


@pytest.fixture
def administrator(make_staff: Callable[..., object]) -> object:
    return make_staff("root-admin", "administrator")


@pytest.fixture
def researcher(make_staff: Callable[..., object]) -> object:
    return make_staff("rhea", "researcher")


@pytest.fixture
def outsider(make_staff: Callable[..., object]) -> object:
    """A logged-in account with no role at all."""
    return make_staff("otto")


@pytest.fixture
def reported_case(db: None) -> object:
    """One case opened by an anonymous public report."""
    from turntide.cases.models import URLCase
    from turntide.reports.actions import do_receive_report

    _report, urls = do_receive_report("public", ["http://case.example/gallery/1.html"])
    return URLCase.objects.get(url_key=urls[0].url_key)


@pytest.fixture(scope="session")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> object:
    """A demo instance prepared once per test session by `turntide demo --no-serve`."""
    from tests.helpers import run_demo

    home = tmp_path_factory.mktemp("demo-home")
    run_demo(home, "--no-serve")
    return home


@pytest.fixture(autouse=True)
def no_verification_unless_asked(settings: object) -> None:
    """Assessments stand on their own in tests, except where a test sets verification rules."""
    settings.TURNTIDE_VERIFICATION_RULES = []  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    """Nothing a test cached (measured source accuracy, for one) reaches the next test."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def audit_checkpoints_apart(settings: object, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test's database is its own, so are the audit checkpoints it writes and reads."""
    settings.TURNTIDE_AUDIT_ANCHOR_DIR = (  # type: ignore[attr-defined]
        tmp_path_factory.getbasetemp() / "audit-checkpoints" / uuid.uuid4().hex
    )
