"""The member portal at /members/: one organisation's details, downloads, usage and tokens.

Who sees what: a logged-in user acts only for the organisation of their Membership, and
every read below is filtered by it. A user in no organisation is told so; hotline staff
without a membership get 404, as on every page that is none of their business. Issuing
and revoking tokens needs the member administrator role (accounts/roles.py).

Issuing answers with a redirect (POST/redirect/GET), so reloading the page that shows a new
token never issues another: the secret waits in the user's own session and the next view of
the tokens page takes it out, so it is shown once. Revoking asks first, on a page of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from turntide.access import staff_required
from turntide.members.models import APIToken, Organisation
from turntide.members.portal_forms import IssueTokenForm
from turntide.members.portal_guide import HASH_LIST_FILE, URL_LIST_FILE, service_guide
from turntide.members.portal_services import (
    URL_LIST_SERVICES,
    OrganisationNotActive,
    is_hotline_staff,
    issue_member_token,
    licensed_lists,
    may_manage_tokens,
    organisation_of,
    portal_users,
    recent_downloads,
    revoke_member_token,
    token_usage,
    usage_of,
)

MemberView = Callable[..., HttpResponse]
ISSUED = "members.issued_token"  # session key: the new token's prefix and secret, until shown


def member_page(view: MemberView) -> MemberView:
    """Logged in, second factor passed, acting for an organisation: the view receives it."""

    @staff_required()
    @never_cache
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        assert isinstance(request.user, User)  # staff_required lets only logged-in users through
        organisation = organisation_of(request.user)
        if organisation is None:
            if is_hotline_staff(request.user):
                raise Http404
            return render(request, "members/no_organisation.html", status=403)
        return view(request, organisation, *args, **kwargs)

    return wrapped


def require_token_management(request: HttpRequest) -> User:
    """The logged-in member administrator; anyone else: 403."""
    user = request.user
    if not isinstance(user, User) or not may_manage_tokens(user):
        raise PermissionDenied
    return user


@member_page
def overview(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    server = request.build_absolute_uri("/").rstrip("/")
    context = {
        "organisation": organisation,
        "portal_users": portal_users(organisation),
        "lists": licensed_lists(organisation),
        "downloads": recent_downloads(organisation),
        "server": server,
        "services": service_guide(organisation.services, server),
        "syncs_url_list": bool(URL_LIST_SERVICES.intersection(organisation.services)),
        "syncs_hash_list": "hash-list" in organisation.services,
        "url_list_file": URL_LIST_FILE,
        "hash_list_file": HASH_LIST_FILE,
    }
    return render(request, "members/overview.html", context)


def tokens_page(
    request: HttpRequest,
    organisation: Organisation,
    form: IssueTokenForm,
    *,
    issued: tuple[APIToken, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "organisation": organisation,
        "usage": token_usage(organisation),
        "may_manage": isinstance(request.user, User) and may_manage_tokens(request.user),
        "form": form,
        "issued": issued,
    }
    return render(request, "members/tokens.html", context, status=status)


@member_page
def tokens(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    form = IssueTokenForm(organisation=organisation)
    return tokens_page(request, organisation, form, issued=take_issued(request, organisation))


def take_issued(request: HttpRequest, organisation: Organisation) -> tuple[APIToken, str] | None:
    """The token issued just before, with its secret, out of the session: shown this once."""
    issued = request.session.pop(ISSUED, None)
    api_token = issued and organisation.tokens.filter(prefix=issued["prefix"]).first()
    return (api_token, issued["secret"]) if api_token else None


@require_POST
@member_page
def issue_token(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """Issue a token, then redirect to the tokens page, which shows its secret once."""
    user = require_token_management(request)
    form = IssueTokenForm(request.POST, organisation=organisation)
    if not form.is_valid():
        return tokens_page(request, organisation, form, status=400)
    try:
        issued = issue_member_token(
            user,
            organisation,
            form.cleaned_data["services"],
            form.cleaned_data["label"],
            form.cleaned_data["days"],
        )
    except OrganisationNotActive as error:
        form.add_error(
            None,
            _("Your organisation's agreement is %(status)s: no token can be issued.")
            % {"status": str(error).lower()},
        )
        return tokens_page(request, organisation, form, status=409)
    api_token, secret = issued
    request.session[ISSUED] = {"prefix": api_token.prefix, "secret": secret}
    return redirect("members:tokens")


@require_http_methods(["GET", "POST"])
@member_page
def revoke_token(request: HttpRequest, organisation: Organisation, prefix: str) -> HttpResponse:
    """GET asks to confirm (what uses the token, what revoking does); POST revokes."""
    user = require_token_management(request)
    if request.method == "GET":
        context = {"organisation": organisation, "row": usage_of(organisation, prefix)}
        return render(request, "members/revoke.html", context)
    token = revoke_member_token(user, organisation, prefix)
    messages.success(
        request, _("Token %(prefix)s is revoked: it no longer works.") % {"prefix": token.prefix}
    )
    return redirect("members:tokens")
