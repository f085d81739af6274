"""Whatever breaks, nothing is sent twice and nothing is lost: token expiry mid-round, a crash
between a call and its record, a lost answer, wrong credentials, an unreachable service."""

from __future__ import annotations

import pytest

from tests.exchange.standin import StandInICCAM
from turntide.cases.models import URLCase
from turntide.exchange import sync as sync_module
from turntide.exchange.models import Call, Round


def test_a_token_that_expires_mid_round_is_renewed_and_nothing_is_repeated(
    iccam, sync, criminal_case
) -> None:
    iccam.add_content("http://incoming.example/1", "GB", "2026-03-01T10:00:00+00:00")
    iccam.expire_tokens_after_calls = 1  # the insert goes through, then every token dies
    assert sync() == 0
    assert [r.path for r in iccam.requests if r.path.startswith("Authentication")] == [
        "Authentication",
        "Authentication/refresh",
    ]
    assert len(iccam.writes("POST", "rest/reports")) == 1
    assert len(iccam.writes("PUT", "rest/Content/")) == 1
    assert Round.objects.get().status == "completed"


class Crash(BaseException):
    """The process dies: nothing after this line of the round runs."""


def test_a_crash_between_an_action_and_its_record_repeats_nothing(
    iccam, sync, analyst, monkeypatch
) -> None:
    from turntide.cases.actions import do_assess
    from turntide.cases.models import Assessment

    content = iccam.add_content("http://crash.example/1", "GB", "2026-03-01T10:00:00+00:00")
    assert sync() == 0
    do_assess(analyst, URLCase.objects.get(), Assessment(outcome="unavailable"))
    settle = sync_module.do_settle_call

    def crash_after_the_call(call, *args, **kwargs):
        if call.operation == "action":
            raise Crash
        return settle(call, *args, **kwargs)

    monkeypatch.setattr(sync_module, "do_settle_call", crash_after_the_call)
    with pytest.raises(Crash):
        sync()
    assert len(content.actions) == 1
    assert Call.objects.get(operation="action").status == "sending"
    monkeypatch.setattr(sync_module, "do_settle_call", settle)
    assert sync() == 0
    assert len(content.actions) == 1
    assert Call.objects.get(operation="action").status == "done"
    assert list(Round.objects.values_list("status", flat=True)) == [
        "completed",
        "failed",  # the crashed round, found running
        "completed",
    ]


def test_an_insert_whose_answer_is_lost_is_never_sent_again_and_is_shown(
    iccam, sync, criminal_case, capsys
) -> None:
    iccam.drop_answer = {("POST", "rest/reports")}
    assert sync() == 1
    assert "no answer from ICCAM" in capsys.readouterr().err
    assert Call.objects.get().status == "unconfirmed"
    assert sync() == 0
    assert len(iccam.writes("POST", "rest/reports")) == 1
    assert f"check ICCAM for the reference {criminal_case.code}" in Round.objects.first().message


def test_a_claim_whose_answer_is_lost_is_sent_again_while_the_item_waits(iccam, sync) -> None:
    content = iccam.add_content("http://claim.example/1", "GB", "2026-03-01T10:00:00+00:00")
    content_reference = content.reference
    iccam.drop_answer = {("PUT", "rest/Content/")}
    assert sync() == 1
    assert content.reference != content_reference  # it landed; the answer did not
    assert sync() == 0  # no longer in the queue: not sent again
    assert len(iccam.writes("PUT", "rest/Content/")) == 1
    assert URLCase.objects.count() == 1


def test_wrong_credentials_fail_with_a_message_and_no_traceback(
    iccam, sync, settings, capsys
) -> None:
    settings.TURNTIDE_ICCAM_PASSWORD = "wrong"
    assert sync() == 1
    err = capsys.readouterr().err
    assert err.startswith("turntide iccam sync: ICCAM refused the login (HTTP 401")
    assert "Traceback" not in err
    failed = Round.objects.get()
    assert (failed.status, failed.errors) == ("failed", 1)
    assert "refused the login" in failed.message


def test_an_unreachable_service_fails_with_a_message(sync, settings, capsys, db) -> None:
    gone = StandInICCAM()
    settings.TURNTIDE_ICCAM_URL = gone.url
    settings.TURNTIDE_ICCAM_USERNAME, settings.TURNTIDE_ICCAM_PASSWORD = "u", "p"
    gone.server.server_close()  # nobody listens on that port any more
    assert sync() == 1
    err = capsys.readouterr().err
    assert "turntide iccam sync: no answer from ICCAM" in err
    assert "Traceback" not in err


def test_an_unconfigured_exchange_says_so(sync, db, capsys) -> None:
    assert sync() == 2
    assert "the exchange is off" in capsys.readouterr().err


def test_a_write_stopped_by_a_refused_login_is_sent_next_round(iccam, sync, criminal_case) -> None:
    iccam.logins_left = 1
    iccam.expire_tokens_after_calls = 0  # the insert meets a dead token; refresh and login fail
    assert sync() == 1
    assert Call.objects.get().status == "retry"
    iccam.logins_left = None
    assert sync() == 0
    assert len(iccam.writes("POST", "rest/reports")) == 2  # the first was refused with 401
    assert Call.objects.get().status == "done"
