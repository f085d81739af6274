"""Writes for organisations and tokens; each is audited."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from turntide.audit.actions import Actor, record
from turntide.lists.models import URL_LIST
from turntide.lists.versions import next_version
from turntide.members.models import SERVICES, APIToken, Organisation
from turntide.members.tokens import new_token, token_digest

DEFAULT_TOKEN_LIFETIME = timedelta(days=365)


class InvalidServices(ValueError):
    """A requested service does not exist or is not licensed to the organisation."""


def parse_services(text: str) -> list[str]:
    """`url-list,report` -> ['report', 'url-list'], refusing unknown names."""
    services = sorted({name.strip() for name in text.split(",") if name.strip()})
    unknown = [name for name in services if name not in SERVICES]
    if unknown or not services:
        raise InvalidServices(
            f"unknown service(s): {', '.join(unknown) or '(none given)'}; "
            f"choose among {', '.join(SERVICES)}"
        )
    return services


@transaction.atomic
def do_create_organisation(
    actor: Actor, name: str, services: Iterable[str], *, kind: str = Organisation.Kind.OTHER
) -> Organisation:
    organisation = Organisation.objects.create(name=name, services=sorted(services), kind=kind)
    record(
        actor,
        "organisation.created",
        object_type="organisation",
        object_code=organisation.code,
        details={"name": name, "services": organisation.services, "kind": kind},
    )
    return organisation


@transaction.atomic
def do_issue_token(
    actor: Actor,
    organisation: Organisation,
    services: Iterable[str],
    *,
    label: str = "",
    lifetime: timedelta = DEFAULT_TOKEN_LIFETIME,
) -> tuple[APIToken, str]:
    """Issue a token scoped to some of the organisation's services; the secret is returned once."""
    services = sorted(set(services))
    unlicensed = [name for name in services if name not in organisation.services]
    if unlicensed:
        raise InvalidServices(f"{organisation.name} is not licensed for: {', '.join(unlicensed)}")
    token, prefix = new_token()
    api_token = APIToken.objects.create(
        organisation=organisation,
        prefix=prefix,
        digest=token_digest(token),
        services=services,
        label=label,
        expires_at=timezone.now() + lifetime,
    )
    record(
        actor,
        "token.issued",
        object_type="organisation",
        object_code=organisation.code,
        details={"prefix": prefix, "services": services, "expires_at": str(api_token.expires_at)},
    )
    return api_token, token


@transaction.atomic
def do_revoke_token(actor: Actor, api_token: APIToken) -> None:
    changed = APIToken.objects.filter(pk=api_token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if changed:
        record(
            actor,
            "token.revoked",
            object_type="organisation",
            object_code=api_token.organisation.code,
            details={"prefix": api_token.prefix},
        )


@transaction.atomic
def do_set_list_key(actor: Actor, organisation: Organisation, *, rotate: bool = False) -> str:
    """The organisation's list key, created (or replaced, with `rotate`) if need be.

    A new key changes every hash the member receives, so the change opens a new URL list
    version and deltas to copies made before it are refused: the member's next sync starts
    again from the whole list.
    """
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.list_key and not rotate:
        return organisation.list_key
    _change_list_key(organisation, secrets.token_hex(32))
    record(
        actor,
        "organisation.list_key_rotated" if rotate else "organisation.list_key_created",
        object_type="organisation",
        object_code=organisation.code,
        details={"list_version": organisation.list_key_version},
    )
    return organisation.list_key


@transaction.atomic
def do_remove_list_key(actor: Actor, organisation: Organisation) -> None:
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if not organisation.list_key:
        return
    _change_list_key(organisation, "")
    record(
        actor,
        "organisation.list_key_removed",
        object_type="organisation",
        object_code=organisation.code,
        details={"list_version": organisation.list_key_version},
    )


def _change_list_key(organisation: Organisation, key: str) -> None:
    with next_version(URL_LIST) as version:
        version.changed = True  # every hash the member receives changes with the key
    organisation.list_key, organisation.list_key_version = key, version.number
    organisation.save(update_fields=["list_key", "list_key_version"])
