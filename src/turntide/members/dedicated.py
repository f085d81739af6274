"""Whole-domain entries: a senior analyst marks a site as dedicated to abuse.

Only a site that exists to serve abuse material is listed whole; a mainstream host with one
bad page must keep its other pages reachable. The mark comes from a case that showed the
site, may name the case's host or a parent domain of it, and can be withdrawn.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from publicsuffixlist import PublicSuffixList

from turntide.audit.actions import record
from turntide.cases.models import URLCase
from turntide.core.urls import reaches_below
from turntide.members.models import DedicatedSite
from turntide.members.receivers import publish_after_commit

# The Public Suffix List with its private section (hosting platforms such as blogspot.com):
# a whole-site entry must never cover other people's sites.
PUBLIC_SUFFIXES = PublicSuffixList()


class DedicatedSiteError(ValueError):
    pass


def case_host(case: URLCase) -> str:
    return case.canonical_url.split("://", 1)[1].split("/", 1)[0]


def _check_host(case: URLCase, host: str) -> str:
    host = host.strip().lower().rstrip(".")
    own = case_host(case)
    if host != own and not own.endswith("." + host):
        raise DedicatedSiteError(f"{host} is neither {own} nor a parent domain of it")
    if PUBLIC_SUFFIXES.privatesuffix(host) is None:
        registrable = PUBLIC_SUFFIXES.privatesuffix(own) or own
        raise DedicatedSiteError(
            f"{host} is a public suffix, under which anyone may register or publish sites "
            f"(like co.uk or blogspot.com); list {registrable} or a name below it"
        )
    if not reaches_below(f"{host}/"):
        raise DedicatedSiteError(
            f"members' filters cannot match everything under {host}: an IP address, a "
            "one-label name or a name of more than five labels is only ever matched "
            "exactly; list its URLs instead"
        )
    return host


@transaction.atomic
def do_mark_dedicated(user: User, case: URLCase, host: str, reason: str) -> DedicatedSite:
    if case.status not in (URLCase.Status.ACTIONED, URLCase.Status.REMOVED):
        raise DedicatedSiteError("only a site shown by a case assessed criminal can be listed")
    if not reason.strip():
        raise DedicatedSiteError("say why the whole site is dedicated to abuse")
    host = _check_host(case, host)
    try:
        with transaction.atomic():
            site = DedicatedSite.objects.create(
                host=host, case_code=case.code, reason=reason.strip(), marked_by=user
            )
    except IntegrityError:
        raise DedicatedSiteError(f"{host} is already listed as a whole site") from None
    record(
        user,
        "list.site_marked_dedicated",
        object_type="case",
        object_code=case.code,
        details={"host": host},
    )
    publish_after_commit()
    return site


@transaction.atomic
def do_withdraw_dedicated(user: User, site_id: int) -> DedicatedSite:
    site = (
        DedicatedSite.objects.select_for_update()
        .filter(pk=site_id, withdrawn_at__isnull=True)
        .first()
    )
    if site is None:
        raise DedicatedSiteError("that site is not listed")
    site.withdrawn_at, site.withdrawn_by = timezone.now(), user
    site.save(update_fields=["withdrawn_at", "withdrawn_by"])
    record(
        user,
        "list.site_withdrawn",
        object_type="case",
        object_code=site.case_code,
        details={"host": site.host},
    )
    publish_after_commit()
    return site
