"""The production profile refuses to boot without its secrets and passes `check --deploy`."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.helpers import run_turntide

PRODUCTION_SECRETS = {
    "SECRET_KEY": "kQ7v9-p2Lr8X4mZ0aB3cD5eF6gH1iJ2kL3mN4oP5qR6sT7uV8wX9yZ0-long-enough",
    "DATABASE_URL": "postgres://turntide@127.0.0.1:5432/turntide",
    "TURNTIDE_ALLOWED_HOSTS": "hotline.example",
    "TURNTIDE_AUDIT_KEY": "audit-key-of-the-production-test-0123456789",
    "TURNTIDE_SURVEY_KEY": "survey-key-of-the-production-test-0123456789",
    "TURNTIDE_SMTP_HOST": "smtp.hotline.example",
}
REQUIRED = [k for k in PRODUCTION_SECRETS if k != "TURNTIDE_SMTP_HOST"]


def run_in_production(
    env_overrides: dict[str, str], *args: str
) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {*REQUIRED, "TURNTIDE_SMTP_HOST"}
    }
    env.update({"TURNTIDE_PROFILE": "production", **env_overrides})
    return run_turntide(env, *args)


@pytest.mark.parametrize("missing", REQUIRED)
def test_production_refuses_to_start_without(missing: str) -> None:
    env = {k: v for k, v in PRODUCTION_SECRETS.items() if k != missing}
    result = run_in_production(env, "manage", "check")
    assert result.returncode != 0
    assert f"{missing} is required in the production profile" in result.stderr


def test_check_deploy_is_clean_with_secrets() -> None:
    result = run_in_production(
        PRODUCTION_SECRETS, "manage", "check", "--deploy", "--fail-level", "DEBUG"
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_flags_production_without_smtp() -> None:
    env = {k: v for k, v in PRODUCTION_SECRETS.items() if k != "TURNTIDE_SMTP_HOST"}
    result = run_in_production(env, "manage", "check", "--deploy")
    assert result.returncode != 0
    assert "mail.E001" in result.stderr


def test_a_secret_can_come_from_a_file(tmp_path: Path) -> None:
    key_file = tmp_path / "secret_key"
    key_file.write_text(PRODUCTION_SECRETS["SECRET_KEY"] + "\n")
    env = {k: v for k, v in PRODUCTION_SECRETS.items() if k != "SECRET_KEY"}
    env["SECRET_KEY_FILE"] = str(key_file)
    result = run_in_production(env, "manage", "check", "--deploy", "--fail-level", "DEBUG")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("command", ["serve", "worker"])
def test_production_serve_and_worker_refuse_to_start_without_smtp(command: str) -> None:
    env = {k: v for k, v in PRODUCTION_SECRETS.items() if k != "TURNTIDE_SMTP_HOST"}
    result = run_in_production(env | {"TURNTIDE_BIND": "192.0.2.1:9"}, command)
    assert result.returncode != 0
    assert "TURNTIDE_SMTP_HOST is required" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("name", ["TURNTIDE_AUDIT_KEY", "TURNTIDE_SURVEY_KEY"])
def test_production_refuses_a_short_key(name: str) -> None:
    result = run_in_production(PRODUCTION_SECRETS | {name: "short"}, "manage", "check")
    assert result.returncode != 0
    assert f"{name} must be at least 32 characters long" in result.stderr
