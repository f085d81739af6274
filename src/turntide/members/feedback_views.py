"""The analysts' review list of members' feedback on matches, at /lists/feedback/."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from turntide.access import staff_required
from turntide.lists.feedback import ORDERS, Review, awaiting_review, counts_by, do_review_feedback
from turntide.members.feedback import (
    NotWithdrawable,
    do_withdraw_reported_entry,
    still_listed,
    withdrawal_permission,
)

PAGE_SIZE = 200
COLUMNS = (
    ("false_positives", gettext_lazy("Not abuse")),
    ("confirmations", gettext_lazy("Confirmed")),
    ("members", gettext_lazy("Members")),
    ("newest", gettext_lazy("Latest")),
)


@staff_required("lists.view_feedback")
def review_list(request: HttpRequest) -> HttpResponse:
    order = request.GET.get("order", "newest")
    order = order if order in ORDERS else "newest"
    rows = awaiting_review(order, PAGE_SIZE)
    listed = still_listed(rows)
    user = cast(User, request.user)
    for row in rows:
        row["listed"] = (row["entry_type"], row["entry_value"]) in listed
        permission = withdrawal_permission(row["entry_type"])
        row["may_withdraw"] = row["listed"] and bool(permission and user.has_perm(permission))
    context = {
        "rows": rows,
        "order": order,
        "columns": [
            {"key": key, "label": label, "current": key == order} for key, label in COLUMNS
        ],
        "members": counts_by("organisation__name", PAGE_SIZE),
        "sources": counts_by("source", PAGE_SIZE),
    }
    return render(request, "lists/feedback.html", context)


@require_POST
@staff_required("lists.review_feedback")
def mark_reviewed(request: HttpRequest) -> HttpResponse:
    entry_type, entry_value = _entry(request)
    if do_review_feedback(cast(User, request.user), entry_type, entry_value, Review.KEPT):
        messages.success(request, _("Feedback marked reviewed; the entry stays listed."))
    else:
        messages.error(request, _("That feedback was already reviewed."))
    return redirect("lists:feedback")


@require_POST
@staff_required("lists.view_feedback")
def withdraw(request: HttpRequest) -> HttpResponse:
    entry_type, entry_value = _entry(request)
    permission = withdrawal_permission(entry_type)
    if permission is None or not request.user.has_perm(permission):
        raise PermissionDenied
    try:
        do_withdraw_reported_entry(cast(User, request.user), entry_type, entry_value)
    except NotWithdrawable as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Withdrawn; it leaves members' lists with their next delta."))
    return redirect("lists:feedback")


def _entry(request: HttpRequest) -> tuple[str, str]:
    return request.POST.get("entry_type", "")[:10], request.POST.get("entry_value", "")[:2000]
