"""No log line carries an email address, whoever logs it; production never prints mail."""

from __future__ import annotations

import logging
import smtplib
from pathlib import Path

import pytest

from tests.helpers import demo_env, run_turntide
from tests.test_settings import PRODUCTION_SECRETS, run_in_production

ADDRESS = "reporter@mail.example"


def test_a_logged_address_is_blanked_in_message_arguments_and_traceback(
    capsys: pytest.CaptureFixture[str],
) -> None:
    logging.getLogger("turntide.reports.tasks").warning("feedback for %s not sent", ADDRESS)
    try:
        raise smtplib.SMTPRecipientsRefused({ADDRESS: (550, b"no such user")})
    except smtplib.SMTPRecipientsRefused:
        logging.getLogger("django.request").exception("mailto:%s failed", "x%40mail.example")
    err = capsys.readouterr().err
    assert "feedback for [email address] not sent" in err
    assert "mailto:[email address] failed" in err
    assert "SMTPRecipientsRefused" in err  # the traceback stays, without the address
    assert ADDRESS not in err
    assert "%40mail.example" not in err


def test_production_without_smtp_prints_no_message_anywhere() -> None:
    env = {k: v for k, v in PRODUCTION_SECRETS.items() if k != "TURNTIDE_SMTP_HOST"}
    send = (
        "from django.core.mail import send_mail; "
        f"send_mail('Your report', 'Thank you', 'hotline@hotline.example', ['{ADDRESS}'])"
    )
    result = run_in_production(env, "manage", "shell", "-c", send)
    assert result.returncode == 0, result.stderr
    assert ADDRESS not in result.stdout + result.stderr


def test_the_embedded_mail_is_a_file_under_home_not_terminal_output(tmp_path: Path) -> None:
    """The demo keeps its mail in files to read; its terminal and log stay free of it."""
    send = (
        "import logging; from django.core.mail import send_mail; "
        f"send_mail('Your report', 'Thank you', 'hotline@hotline.example', ['{ADDRESS}']); "
        f"logging.getLogger('turntide').info('mailed %s', '{ADDRESS}')"
    )
    result = run_turntide(demo_env(tmp_path), "manage", "shell", "-c", send)
    assert result.returncode == 0, result.stderr
    [mail] = (tmp_path / "mail").iterdir()
    assert f"To: {ADDRESS}" in mail.read_text(encoding="utf-8")
    assert "mailed [email address]" in result.stderr
    assert ADDRESS not in result.stdout + result.stderr


@pytest.mark.django_db
def test_a_refused_page_is_one_line_without_a_traceback(
    client, analyst, capsys: pytest.CaptureFixture[str]
) -> None:
    client.force_login(analyst)
    assert client.get("/audit/").status_code == 403
    err = capsys.readouterr().err
    assert "WARNING django.request Forbidden (Permission denied): /audit/" in err
    assert "Traceback" not in err


@pytest.mark.django_db(transaction=True)  # the worker commits, as it does in production
def test_a_task_that_runs_well_leaves_no_log_line(capsys: pytest.CaptureFixture[str]) -> None:
    from turntide.audit.tasks import verify_audit_chain
    from turntide.commands.worker import make_worker

    verify_audit_chain.enqueue()
    make_worker(interval=0, batch=True).run()  # type: ignore[attr-defined]
    assert "verify_audit_chain" not in capsys.readouterr().err
