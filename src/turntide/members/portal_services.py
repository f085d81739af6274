"""Reads and writes behind the member portal, always within one organisation.

Every read takes the member's organisation as its first argument and filters by it, so a
token prefix or a download of another organisation is simply not found (404), never shown.
Downloads and usage come from the audit trail, where the API records each download as
`list.downloaded` by `token:<prefix>` against the organisation's code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db.models import Count, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from turntide.accounts.roles import MEMBER_ADMINISTRATOR
from turntide.audit.models import Event
from turntide.lists.models import HASH_LIST, KEYWORD_LIST, URL_LIST, ListVersion
from turntide.members.access import token_state
from turntide.members.actions import do_issue_token, do_revoke_token
from turntide.members.models import APIToken, Membership, Organisation

# Permissions of the member administrator role (accounts/roles.py): issue and revoke tokens.
TOKEN_MANAGEMENT = ("members.add_apitoken", "members.change_apitoken")
DOWNLOAD_ACTION = "list.downloaded"
TOKEN_ACTOR = "token:"  # noqa: S105  (how the API names a token in the trail)
RECENT_DOWNLOADS = 20
USAGE_WINDOW = timedelta(days=30)
URL_LIST_SERVICES = frozenset({"url-list", "url-list-plain"})
StrOrPromise = str | Promise


class OrganisationNotActive(Exception):
    """Tokens are issued only while the organisation's agreement is active."""


def organisation_of(user: User) -> Organisation | None:
    """The organisation this user acts for in the portal, if any."""
    membership = Membership.objects.select_related("organisation").filter(user=user).first()
    return membership.organisation if membership else None


def is_hotline_staff(user: User) -> bool:
    """Holding any hotline role (or the admin site): such accounts get 404 in the portal
    rather than an explanation, like every page they have no business on."""
    if user.is_staff or user.is_superuser:
        return True
    return user.groups.exclude(name=MEMBER_ADMINISTRATOR).exists()


def may_manage_tokens(user: User) -> bool:
    return user.has_perms(TOKEN_MANAGEMENT)


def portal_users(organisation: Organisation) -> list[Membership]:
    return list(organisation.memberships.select_related("user").order_by("user__username"))


@dataclass(frozen=True)
class PublishedList:
    """A list the organisation is licensed for, where to fetch it, and its current version."""

    name: StrOrPromise
    path: str
    version: int = 0
    published_at: datetime | None = None


def licensed_lists(organisation: Organisation) -> list[PublishedList]:
    rows = {row.name: row for row in ListVersion.objects.all()}
    candidates: list[tuple[set[str], StrOrPromise, str, ListVersion | None]] = [
        (set(URL_LIST_SERVICES), _("URL list"), reverse("api-v1:url_list"), rows.get(URL_LIST)),
        ({"keywords"}, _("Keyword list"), reverse("api-v1:keyword_list"), rows.get(KEYWORD_LIST)),
        ({"hash-list"}, _("Hash list"), reverse("api-v1:hash_list"), rows.get(HASH_LIST)),
    ]
    licensed = set(organisation.services)
    return [
        PublishedList(name, path, row.version, row.published_at)
        if row
        else PublishedList(name, path)
        for services, name, path, row in candidates
        if licensed & services
    ]


@dataclass(frozen=True)
class Download:
    """One list download, as the audit trail recorded it."""

    at: datetime
    token_prefix: str
    list_name: str
    version: int | None


def _downloads(organisation: Organisation) -> QuerySet[Event]:
    return Event.objects.filter(
        object_type="organisation", object_code=organisation.code, action=DOWNLOAD_ACTION
    )


def recent_downloads(organisation: Organisation, limit: int = RECENT_DOWNLOADS) -> list[Download]:
    events = _downloads(organisation).order_by("-sequence")[:limit]
    return [
        Download(
            at=event.occurred_at,
            token_prefix=event.actor.removeprefix(TOKEN_ACTOR),
            list_name=str(event.details.get("list", "")),
            version=event.details.get("version"),
        )
        for event in events
    ]


@dataclass(frozen=True)
class TokenUsage:
    token: APIToken
    state: str  # revoked, expired, suspended (the agreement is not active) or active
    downloads: int  # in the last USAGE_WINDOW

    @property
    def revocable(self) -> bool:
        """A token that could work again (once the agreement is active) can be revoked."""
        return self.state in ("active", "suspended")


def token_usage(organisation: Organisation, prefix: str | None = None) -> list[TokenUsage]:
    """Every token of the organisation (or its one with `prefix`), newest first, with its
    downloads in the window."""
    now = timezone.now()
    counts = dict(
        _downloads(organisation)
        .filter(occurred_at__gte=now - USAGE_WINDOW, actor__startswith=TOKEN_ACTOR)
        .values("actor")
        .annotate(downloads=Count("pk"))
        .values_list("actor", "downloads")
    )
    tokens = organisation.tokens.order_by("-created_at", "-pk")
    if prefix is not None:
        tokens = tokens.filter(prefix=prefix)
    return [
        TokenUsage(
            token,
            token_state(token, organisation, now),
            counts.get(TOKEN_ACTOR + token.prefix, 0),
        )
        for token in tokens
    ]


def usage_of(organisation: Organisation, prefix: str) -> TokenUsage:
    """One of this organisation's tokens with its usage; any other prefix is a 404."""
    rows = token_usage(organisation, prefix)
    if not rows:
        raise Http404
    return rows[0]


def token_of(organisation: Organisation, prefix: str) -> APIToken:
    """One of this organisation's tokens; any other prefix is a 404."""
    return get_object_or_404(APIToken, organisation=organisation, prefix=prefix)


def issue_member_token(
    user: User, organisation: Organisation, services: list[str], label: str, days: int
) -> tuple[APIToken, str]:
    """A member administrator issues a token; the secret is returned this once."""
    if organisation.status != Organisation.Status.ACTIVE:
        raise OrganisationNotActive(organisation.get_status_display())
    return do_issue_token(user, organisation, services, label=label, lifetime=timedelta(days=days))


def revoke_member_token(user: User, organisation: Organisation, prefix: str) -> APIToken:
    token = token_of(organisation, prefix)
    do_revoke_token(user, token)
    return token
