"""`turntide staff`: the first administrator of a new instance, invitations and resets."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.helpers import demo_env, run_turntide
from tests.private_postgres import binaries, private_cluster
from turntide.accounts.models import EnrolmentLink
from turntide.cli import main

ENROL = "/accounts/enrol/"


def staff(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["staff", *args])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.django_db
def test_create_admin_makes_the_first_administrator_and_prints_their_link(capsys, settings):
    settings.TURNTIDE_SITE_URL = "https://hotline.test"
    status, out, err = staff(capsys, "create-admin", "alex", "--email", "alex@hotline.test")
    assert status == 0
    link = out.strip()
    assert link.startswith("https://hotline.test" + ENROL)
    assert "72 hours" in err
    user = User.objects.get(username="alex")
    assert list(user.groups.values_list("name", flat=True)) == ["administrator"]
    assert user.is_staff
    assert not user.is_superuser
    assert not user.has_usable_password()
    assert Client().get(link.removeprefix("https://hotline.test")).status_code == 200


@pytest.mark.django_db
def test_create_admin_refuses_once_an_administrator_exists(capsys, administrator) -> None:
    status, out, err = staff(capsys, "create-admin", "alex", "--email", "alex@hotline.test")
    assert status == 2
    assert out == ""
    assert "an administrator exists already" in err
    assert not User.objects.filter(username="alex").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--email", "not an address", "--role", "analyst"], "valid email"),
        (["--email", "nina@hotline.test", "--role", "wizard"], "unknown role 'wizard'"),
    ],
)
def test_invite_refuses_bad_input(capsys, args: list[str], message: str) -> None:
    status, _out, err = staff(capsys, "invite", "nina", *args)
    assert status == 2
    assert message in err
    assert not User.objects.filter(username="nina").exists()


@pytest.mark.django_db
def test_reset_prints_a_new_link_that_replaces_the_old_one(capsys) -> None:
    staff(capsys, "invite", "nina", "--email", "nina@hotline.test", "--role", "analyst")
    first = EnrolmentLink.objects.get().digest
    status, out, _err = staff(capsys, "reset", "nina")
    assert status == 0
    assert ENROL in out
    assert EnrolmentLink.objects.get().digest != first
    assert staff(capsys, "reset", "nobody")[0] == 2


BIN = binaries()


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres") or BIN is None,
    reason="runs with the PostgreSQL suite, where PostgreSQL's binaries are installed",
)
def test_a_new_production_instance_gets_its_first_administrator(tmp_path: Path) -> None:
    assert BIN is not None
    with private_cluster(BIN) as cluster:
        cluster.sql("postgres", "CREATE DATABASE turntide")
        env = demo_env(tmp_path) | {
            "TURNTIDE_PROFILE": "production",
            "DATABASE_URL": cluster.url("turntide"),
            "SECRET_KEY": "a production secret key for this test only, long enough",
            "TURNTIDE_AUDIT_KEY": "an audit key for this test only, at least 32 characters",
            "TURNTIDE_SURVEY_KEY": "a survey key for this test only, at least 32 characters",
            "TURNTIDE_ALLOWED_HOSTS": "hotline.test",
        }
        assert run_turntide(env, "manage", "migrate", "--verbosity", "0").returncode == 0
        created = run_turntide(env, "staff", "create-admin", "alex", "--email", "a@hotline.test")
        assert created.returncode == 0, created.stderr
        assert created.stdout.startswith("https://hotline.test/accounts/enrol/")
        roles = cluster.sql(
            "turntide",
            "SELECT g.name, u.is_staff, u.password LIKE '!%%' FROM auth_user u "
            "JOIN auth_user_groups ug ON ug.user_id = u.id JOIN auth_group g ON g.id = ug.group_id "
            "WHERE u.username = 'alex'",
        )
        assert roles == [("administrator", True, True)]
        again = run_turntide(env, "staff", "create-admin", "bo", "--email", "b@hotline.test")
        assert again.returncode == 2
