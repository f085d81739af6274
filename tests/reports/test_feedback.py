"""A reporter who gives an email address hears from us twice, then is forgotten."""

from __future__ import annotations

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from turntide.reports.models import FeedbackContact, HotlineGuidance, Report
from turntide.reports.tasks import (
    forget_expired_feedback_contacts,
    send_confirmation,
    send_outcome_feedback,
)
from turntide.schedule.registry import REGISTRY

pytestmark = pytest.mark.django_db

ROSA_EMAIL = "rosa.reporter@example.com"


@pytest.fixture
def report_with_email(rosa: Client, django_capture_on_commit_callbacks):
    def send(path: str = "/report/", **fields: str) -> FeedbackContact:
        with django_capture_on_commit_callbacks(execute=True):
            rosa.post(path, {"urls": "http://site.example/1", "email": ROSA_EMAIL, **fields})
        return FeedbackContact.objects.get()

    return send


def test_the_confirmation_is_queued_by_id_and_sent_in_the_reporters_language(
    report_with_email, settings
) -> None:
    settings.TURNTIDE_HOME_COUNTRY = "DE"
    contact = report_with_email("/de/report/", immediate_danger="on")
    queued = DBTaskResult.objects.get(task_path="turntide.reports.tasks.send_confirmation")
    assert queued.args_kwargs == {"args": [contact.pk], "kwargs": {}}
    assert send_confirmation.call(contact.pk) is True
    [message] = mail.outbox
    assert message.to == [ROSA_EMAIL]
    reference = Report.objects.get().reference
    assert message.subject == f"Ihre Meldung {reference}"
    assert "Vielen Dank für Ihre Meldung" in message.body
    assert "Rufen Sie 112 an" in message.body  # the police guidance, repeated
    assert "site.example" not in message.body  # never the reported addresses


def test_the_address_is_kept_for_the_hotlines_retention_period(report_with_email) -> None:
    HotlineGuidance.objects.create(feedback_retention_days=30)
    contact = report_with_email()
    expected = timezone.now() + timedelta(days=30)
    assert abs(contact.delete_after - expected) < timedelta(minutes=1)


def test_expired_addresses_are_deleted_every_hour(report_with_email) -> None:
    job = REGISTRY["turntide.reports.tasks.forget_expired_feedback_contacts"]
    assert job.interval == timedelta(hours=1)
    contact = report_with_email()
    assert forget_expired_feedback_contacts.call() == 0
    FeedbackContact.objects.filter(pk=contact.pk).update(delete_after=timezone.now())
    assert forget_expired_feedback_contacts.call() == 1
    assert Report.objects.count() == 1  # the report stays


def test_the_address_is_deleted_once_feedback_is_sent(report_with_email) -> None:
    contact = report_with_email("/fr/report/")
    assert send_outcome_feedback.call(contact.report_id) is True
    [message] = mail.outbox
    assert message.subject.startswith("Nous avons terminé")
    assert not FeedbackContact.objects.exists()
    assert send_outcome_feedback.call(contact.report_id) is False  # nothing left to send to


def test_a_failed_send_keeps_the_address_and_logs_only_the_reference(
    report_with_email, monkeypatch, caplog: pytest.LogCaptureFixture
) -> None:
    contact = report_with_email()

    def refuse(*args: object, **kwargs: object) -> None:
        raise smtplib.SMTPRecipientsRefused({ROSA_EMAIL: (550, b"no such user")})

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    assert send_outcome_feedback.call(contact.report_id) is False
    assert FeedbackContact.objects.filter(pk=contact.pk).exists()
    assert contact.report.reference in caplog.text
    assert ROSA_EMAIL not in caplog.text


def test_a_report_without_email_queues_nothing(rosa: Client) -> None:
    rosa.post("/report/", {"urls": "http://site.example/1"})
    assert not FeedbackContact.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_outcome_feedback_is_queued_once_every_address_of_the_report_is_decided(
    rosa: Client, analyst, django_capture_on_commit_callbacks
) -> None:
    from turntide.cases.actions import do_assess
    from turntide.cases.models import Assessment, URLCase

    rosa.post("/report/", {"urls": "http://one.example/\nhttp://two.example/", "email": ROSA_EMAIL})
    report = Report.objects.get()
    first, second = URLCase.objects.order_by("canonical_url")
    from turntide.cases.tasks import feedback_when_decided

    with django_capture_on_commit_callbacks(execute=True):
        do_assess(analyst, first, Assessment(outcome="not_illegal"))
    assert feedback_when_decided.call(report.pk) is False  # one address still open
    assert FeedbackContact.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        do_assess(analyst, second, Assessment(outcome="unavailable"))
    queued = DBTaskResult.objects.filter(task_path__endswith="feedback_when_decided")
    assert [task.args_kwargs["args"] for task in queued] == [[report.pk], [report.pk]]
    assert feedback_when_decided.call(report.pk) is True
    assert not FeedbackContact.objects.exists()  # told, then forgotten
    assert mail.outbox[-1].to == [ROSA_EMAIL]
