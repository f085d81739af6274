"""The reporter's address is stored nowhere; their email only apart, and only until used."""

from __future__ import annotations

import logging

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django_tasks_db.models import DBTaskResult

from tests.reports.conftest import ROSA_ADDRESS
from turntide.audit.models import Event
from turntide.cases.models import URLCase
from turntide.reports.models import FeedbackContact

ROSA_EMAIL = "rosa.reporter@example.com"


def database_dump() -> str:
    """Every row of every table, as text."""
    rows = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(rows)


def cache_dump() -> str:
    store = cache._cache  # type: ignore[attr-defined]  # the embedded profile's LocMemCache
    return repr(list(store.items()))


@pytest.mark.django_db(transaction=True)
def test_the_client_address_is_stored_nowhere(
    rosa: Client, caplog: pytest.LogCaptureFixture, settings
) -> None:
    settings.TURNTIDE_REPORT_LIMIT_PER_HOUR = 2
    caplog.set_level(logging.DEBUG)
    rosa.post("/report/", {"urls": "http://site.example/1", "email": ROSA_EMAIL})
    rosa.post("/report/", {"urls": "ftp://bad.example/"})
    over = rosa.post("/report/", {"urls": "http://site.example/2", "immediate_danger": "on"})
    assert over.status_code == 429
    assert URLCase.objects.count() == 1
    for place in (database_dump(), caplog.text, cache_dump(), repr(mail.outbox)):
        assert ROSA_ADDRESS not in place
        assert ROSA_ADDRESS.replace(".", "") not in place


def test_the_email_address_is_kept_apart_from_the_report_and_out_of_the_audit_trail(
    rosa: Client, caplog: pytest.LogCaptureFixture, django_capture_on_commit_callbacks
) -> None:
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        rosa.post("/report/", {"urls": "http://site.example/1", "email": ROSA_EMAIL})
    contact = FeedbackContact.objects.get()
    assert contact.email == ROSA_EMAIL
    assert not hasattr(contact.report, "feedbackcontact")  # no way from a report to it
    assert ROSA_EMAIL not in repr(list(Event.objects.values()))
    assert ROSA_EMAIL not in repr(list(DBTaskResult.objects.values()))
    assert ROSA_EMAIL not in caplog.text


def test_analysts_never_see_a_reporters_email(rosa: Client, client: Client, analyst) -> None:
    rosa.post("/report/", {"urls": "http://site.example/1", "email": ROSA_EMAIL})
    client.force_login(analyst)
    case = URLCase.objects.get()
    for path in ("/cases/", f"/cases/{case.code}/"):
        response = client.get(path)
        assert response.status_code == 200
        assert ROSA_EMAIL.encode() not in response.content
