"""The removal workbench and the team's actions on a case: parse, authorise, act, go back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from turntide.access import staff_required
from turntide.cases.access import case_for_staff
from turntide.takedown import access
from turntide.takedown import team_actions as team
from turntide.takedown.actions import do_retry_mail
from turntide.takedown.forms import (
    ConfirmRemovedForm,
    ContactForm,
    ManualCheckForm,
    NoFieldsForm,
    PartnerForm,
)
from turntide.takedown.models import Takedown
from turntide.takedown.workbench import Stage, bench

WORK = "takedown.work_takedowns"


@staff_required(WORK)
def workbench(request: HttpRequest) -> HttpResponse:
    filters = {
        "stage": request.GET.get("stage", "") if request.GET.get("stage") in Stage.values else "",
        "country": request.GET.get("country", "").strip()[:2],
        "search": request.GET.get("q", "").strip()[:200],
    }
    found = bench(timezone.now(), **filters)
    stages = [(value, label, found.counts[value]) for value, label in Stage.choices]
    context = {
        "bench": found,
        "filters": filters,
        "stages": stages,
        "mailbox": bool(settings.TURNTIDE_IMAP_HOST),
    }
    return render(request, "takedown/workbench.html", context)


def _back(request: HttpRequest, code: str) -> HttpResponse:
    """To the page the form came from (the workbench keeps its filters), else the case's."""
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return redirect(wanted)
    return redirect("takedown:case", code)


def _contact(staff: User, takedown: Takedown, data: dict[str, Any], now: datetime) -> str:
    provider = team.do_set_contact(staff, takedown, data["email"], data["country"])
    if data["send"]:
        sent = team.do_send_waiting(staff, provider, now)
        return ngettext(
            "Contact saved; the notice is in the outbox.",
            "Contact saved; the notices of %(n)d cases waiting for it are in the outbox.",
            sent,
        ) % {"n": sent}
    return _("Contact saved.")


def _send(staff: User, takedown: Takedown, data: dict[str, Any], now: datetime) -> str:
    team.do_send_notice(staff, takedown, now)
    return _("The notice is in the outbox.")


def _refer(staff: User, takedown: Takedown, data: dict[str, Any], now: datetime) -> str:
    team.do_refer_to_partner(staff, takedown, data["partner"], now)
    return _("Referred; the referral is in the outbox.")


def _check(staff: User, takedown: Takedown, data: dict[str, Any], now: datetime) -> str:
    team.do_check_now(staff, takedown, now)
    return _("A check runs within minutes.")


def _by_hand(staff: User, takedown: Takedown, data: dict[str, Any], now: datetime) -> str:
    team.do_record_manual_check(staff, takedown, data["result"] == "gone", now)
    return _("Recorded as a check.")


def _confirm(staff: User, takedown: Takedown, data: dict[str, Any], now: datetime) -> str:
    team.do_confirm_removed(staff, takedown, data["removed_at"] or now)
    return _("Removal confirmed.")


def _escalate(staff: User, takedown: Takedown, data: dict[str, Any], now: datetime) -> str:
    team.do_escalate(staff, takedown, now)
    return _("Escalated; the notice is in the outbox.")


def _hold(staff: User, takedown: Takedown, data: dict[str, Any], now: datetime) -> str:
    team.do_hold_for_police(staff, takedown, now)
    return _("Held for the police; the referral to the police is in the outbox.")


def _release(staff: User, takedown: Takedown, data: dict[str, Any], now: datetime) -> str:
    team.do_release_police_hold(staff, takedown)
    return _("Released: the host's notice goes on the outbox's next run.")


Act = Callable[[User, Takedown, dict[str, Any], datetime], str]
ACTIONS: dict[str, tuple[type[forms.Form], Act]] = {
    "contact": (ContactForm, _contact),
    "send": (NoFieldsForm, _send),
    "refer": (PartnerForm, _refer),
    "check": (NoFieldsForm, _check),
    "manual-check": (ManualCheckForm, _by_hand),
    "confirm": (ConfirmRemovedForm, _confirm),
    "escalate": (NoFieldsForm, _escalate),
    "police-hold": (NoFieldsForm, _hold),
    "police-release": (NoFieldsForm, _release),
}


@require_POST
@staff_required(WORK, hide=True)
def act(request: HttpRequest, code: str, action: str) -> HttpResponse:
    takedown = access.open_takedown_for_staff(code)
    if action not in ACTIONS:
        return HttpResponse(status=404)
    form_class, run = ACTIONS[action]
    form = form_class(request.POST)
    staff = request.user
    assert isinstance(staff, User)
    if not form.is_valid():
        messages.error(request, _("Nothing done: %(errors)s") % {"errors": form.errors.as_text()})
    else:
        try:
            messages.success(request, run(staff, takedown, form.cleaned_data, timezone.now()))
        except team.NotNow as refusal:
            messages.error(request, _("Nothing done: %(why)s") % {"why": refusal})
    return _back(request, code)


@require_POST
@staff_required(WORK, hide=True)
def start(request: HttpRequest, code: str) -> HttpResponse:
    """Ask the worker to start the removal of an actioned case that has none."""
    case = case_for_staff(code)
    staff = request.user
    assert isinstance(staff, User)
    try:
        team.do_request_start(staff, case)
    except team.NotNow as refusal:
        messages.error(request, _("Nothing done: %(why)s") % {"why": refusal})
    else:
        messages.success(request, _("The worker traces the host and notifies within minutes."))
    return _back(request, code)


@require_POST
@staff_required(WORK)
def retry_mail(request: HttpRequest, code: str) -> HttpResponse:
    mail = access.mail_for_staff(code)
    staff = request.user
    assert isinstance(staff, User)
    if do_retry_mail(staff, mail):
        messages.success(request, _("Back in the outbox."))
    else:
        messages.error(request, _("Nothing done: that mail has not failed."))
    return redirect("takedown:workbench")


@require_POST
@staff_required(WORK)
def read_mailbox_now(request: HttpRequest) -> HttpResponse:
    staff = request.user
    assert isinstance(staff, User)
    team.do_request_mailbox_read(staff)
    messages.success(request, _("The worker reads the abuse mailbox now."))
    return redirect("takedown:workbench")
