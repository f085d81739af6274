"""The exchange is configured from the environment: production refuses plain http and a
missing client certificate; the worker runs a round every TURNTIDE_ICCAM_INTERVAL_MINUTES."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from tests.test_settings import PRODUCTION_SECRETS, run_in_production
from turntide.exchange import tasks
from turntide.schedule.registry import REGISTRY

EXCHANGE = {
    "TURNTIDE_ICCAM_URL": "https://iccam-api.example/api/",
    "TURNTIDE_ICCAM_USERNAME": "hotline-gb",
    "TURNTIDE_ICCAM_PASSWORD": "secret",
}


@pytest.fixture
def certificate(tmp_path: Path) -> dict[str, str]:
    for name in ("client.pem", "client.key"):
        (tmp_path / name).write_text("synthetic, never loaded by `manage check`\n")
    return {
        "TURNTIDE_ICCAM_CLIENT_CERT": str(tmp_path / "client.pem"),
        "TURNTIDE_ICCAM_CLIENT_KEY": str(tmp_path / "client.key"),
    }


def test_production_refuses_the_exchange_over_plain_http(certificate) -> None:
    env = {**PRODUCTION_SECRETS, **EXCHANGE, **certificate}
    env["TURNTIDE_ICCAM_URL"] = "http://iccam-api.example/api/"
    result = run_in_production(env, "manage", "check")
    assert result.returncode != 0
    assert "TURNTIDE_ICCAM_URL must be https:// in the production profile" in result.stderr


@pytest.mark.parametrize("missing", ["TURNTIDE_ICCAM_CLIENT_CERT", "TURNTIDE_ICCAM_CLIENT_KEY"])
def test_production_refuses_the_exchange_without_its_certificate(certificate, missing) -> None:
    env = {**PRODUCTION_SECRETS, **EXCHANGE, **certificate}
    env[missing] = certificate[missing] + ".missing"
    result = run_in_production(env, "manage", "check")
    assert result.returncode != 0
    assert "needs its client certificate in the production profile" in result.stderr


def test_production_starts_with_the_exchange_configured(certificate) -> None:
    result = run_in_production({**PRODUCTION_SECRETS, **EXCHANGE, **certificate}, "manage", "check")
    assert result.returncode == 0, result.stderr


def test_the_worker_runs_a_round_every_interval_once_configured(settings, monkeypatch) -> None:
    monkeypatch.setattr("turntide.schedule.registry.REGISTRY", dict(REGISTRY))
    from turntide.schedule import registry

    tasks.schedule()  # unconfigured: nothing registered
    assert tasks.exchange_with_iccam.module_path not in registry.REGISTRY
    settings.TURNTIDE_ICCAM_URL = "https://iccam-api.example/api/"
    settings.TURNTIDE_ICCAM_INTERVAL_MINUTES = 7
    tasks.schedule()
    entry = registry.REGISTRY[tasks.exchange_with_iccam.module_path]
    assert entry.interval == timedelta(minutes=7)


def test_the_worker_task_runs_one_round(iccam, criminal_case) -> None:
    assert tasks.exchange_with_iccam.call() is True
    assert len(iccam.writes("POST", "rest/reports")) == 1
