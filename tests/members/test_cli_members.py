"""`turntide members create` and `turntide members token` (contract)."""

from __future__ import annotations

import pytest

from turntide.cli import main
from turntide.members.access import authenticate_token
from turntide.members.models import Organisation


@pytest.mark.django_db
def test_create_then_issue_a_token_that_works(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["members", "create", "Example ISP", "--services", "url-list,hash-list"]) == 0
    assert Organisation.objects.get(name="Example ISP").services == ["hash-list", "url-list"]
    capsys.readouterr()

    assert main(["members", "token", "Example ISP", "--services", "url-list"]) == 0
    out, err = capsys.readouterr()
    token = out.strip()
    assert "shown only this once" in err
    api_token = authenticate_token(token)
    assert api_token is not None
    assert api_token.services == ["url-list"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["members", "create", "X", "--services", "nonsense"], "unknown service"),
        (["members", "create", "X", "--services", "report", "--kind", "alien"], "unknown kind"),
        (["members", "token", "Nobody", "--services", "report"], "no organisation named"),
    ],
)
def test_bad_input_gets_a_clear_error_and_changes_nothing(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"turntide members {argv[1]}: ")  # named once, by `turntide.cli`
    assert message in err
    assert "Traceback" not in err
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_a_token_beyond_the_licence_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    main(["members", "create", "Example ISP", "--services", "url-list"])
    assert main(["members", "token", "Example ISP", "--services", "url-list-plain"]) == 2
    assert "not licensed" in capsys.readouterr().err
