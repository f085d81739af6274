"""Turntide's grading in ICCAM's ids, read from the mapping table an administrator keeps.

Exchange rounds work from the stored table only; `refresh` takes ICCAM's lookup answers
(`turntide iccam lookups`) into it, so an outage of the lookups never stops an exchange.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from turntide.audit.actions import record
from turntide.exchange.models import IccamTerm, VocabularyMapping

# The lookups ICCAM answers under rest/, and the key that names each value in the answer.
REFRESHABLE = {
    "classifications": "id",
    "age-categories": "id",
    "gender-categories": "id",
    "commercialities": "id",
    "payment-methods": "id",
    "site-types": "id",
    "action-types": "type",
}


class UnmappedValue(LookupError):
    """The mapping table has no row for this value: an administrator must add one."""


def iccam_id(lookup: str, value: str) -> int:
    found = (
        VocabularyMapping.objects.filter(lookup=lookup, turntide_value=value)
        .values_list("term__iccam_id", flat=True)
        .first()
    )
    if found is None:
        raise UnmappedValue(f"no ICCAM value is mapped for {lookup} {value!r}")
    return found


def names(lookup: str) -> dict[int, str]:
    """ICCAM's names of one lookup's ids, as last stored."""
    return dict(IccamTerm.objects.filter(lookup=lookup).values_list("iccam_id", "name"))


@transaction.atomic
def refresh(lookup: str, answer: list[dict[str, Any]]) -> int:
    """Store one lookup's answer: names updated, new ids added, missing ids marked unlisted.

    Mapped ids stay mapped even when unlisted, so the administrator sees what to change.
    """
    key = REFRESHABLE[lookup]
    listed = {int(item[key]): str(item["name"])[:200] for item in answer}
    for iccam_id_, name in listed.items():
        IccamTerm.objects.update_or_create(
            lookup=lookup, iccam_id=iccam_id_, defaults={"name": name, "listed": True}
        )
    unlisted = IccamTerm.objects.filter(lookup=lookup).exclude(iccam_id__in=listed)
    dropped = unlisted.update(listed=False)
    record(
        "iccam",
        "iccam.lookup_refreshed",
        object_type="iccam_lookup",
        object_code=lookup,
        details={"listed": len(listed), "unlisted": dropped},
    )
    return len(listed)
