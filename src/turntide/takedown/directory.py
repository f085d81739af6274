"""CSV import of the directories routing reads: providers by AS number, partner hotlines.

Providers: columns `asn, name, abuse_email` and optional `country, upstream_email`.
Partner hotlines: columns `country, name, email` and optional `language, scheme`.
A row updates the entry of its AS number or country, or adds one. All or nothing: the first
bad row is named in the error and nothing is saved.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from turntide.audit.actions import Actor, record
from turntide.takedown.models import PartnerHotline, Provider


class DirectoryImportError(ValueError):
    """A row of the file is not valid; the message names its line."""


PROVIDER_COLUMNS = ("asn", "name", "abuse_email")
PARTNER_COLUMNS = ("country", "name", "email")


def _rows(file: IO[str], required: tuple[str, ...]) -> Iterable[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(file)
    missing = [name for name in required if name not in (reader.fieldnames or [])]
    if missing:
        raise DirectoryImportError(f"missing columns: {', '.join(missing)}")
    for row in reader:
        yield reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}


def _save(model: type[models.Model], key: str, line: int, values: dict[str, Any]) -> None:
    entry = model._default_manager.filter(**{key: values[key]}).first() or model()
    for name, value in values.items():
        setattr(entry, name, value)
    try:
        entry.full_clean(validate_unique=False)
    except ValidationError as error:
        problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
        raise DirectoryImportError(f"line {line}: {problems}") from None
    entry.save()


@transaction.atomic
def import_providers(actor: Actor, file: IO[str]) -> int:
    count = 0
    for line, row in _rows(file, PROVIDER_COLUMNS):
        asn = row["asn"].upper().removeprefix("AS")
        if not asn.isdigit():
            raise DirectoryImportError(f"line {line}: asn must be a number, not {row['asn']!r}")
        values = {
            "asn": int(asn),
            "name": row["name"],
            "abuse_email": row["abuse_email"],
            "country": row.get("country", "").upper(),
            "upstream_email": row.get("upstream_email", ""),
        }
        _save(Provider, "asn", line, values)
        count += 1
    record(actor, "takedown.providers_imported", details={"rows": count})
    return count


@transaction.atomic
def import_partners(actor: Actor, file: IO[str]) -> int:
    count = 0
    for line, row in _rows(file, PARTNER_COLUMNS):
        values = {
            "country": row["country"].upper(),
            "name": row["name"],
            "email": row["email"],
            "language": row.get("language") or "en",
            "scheme": row.get("scheme") or "inhope",
        }
        if len(values["country"]) != 2 or not values["country"].isalpha():
            raise DirectoryImportError(f"line {line}: country must be an ISO 3166 alpha-2 code")
        _save(PartnerHotline, "country", line, values)
        count += 1
    record(actor, "takedown.partners_imported", details={"rows": count})
    return count
