"""Writes to the hash list; each one bumps the list version once and is audited.

Writers take the next version first (`turntide.lists.versions.next_version`), so the check
"is this hash already listed" and the insert cannot race.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet

from turntide.audit.actions import Actor, actor_name, record
from turntide.cases.models import URLCase
from turntide.core.hashing import InvalidHash, degenerate_reason
from turntide.core.hashlist import canonical_hash
from turntide.hashes.models import HashEntry, HashSource
from turntide.lists.models import HASH_LIST
from turntide.lists.versions import next_version

# A case whose judgement stands as criminal; only its hashes belong on the list.
CRIMINAL_STATUSES = (URLCase.Status.ACTIONED, URLCase.Status.REMOVED)
CATEGORIES = frozenset(HashEntry.Category.values)
LOOKUP_CHUNK = 900


@dataclass(frozen=True)
class NewHash:
    """A checked hash ready to list (see `checked_hash`)."""

    type: str
    value: str
    category: str
    pdq_quality: int | None


class Outcome:
    """What became of one submitted hash."""

    ADDED = "added"
    ALREADY_LISTED = "already_listed"
    KEPT_OFF = "kept_off"  # withdrawn before as matching harmless content: never listed again


@dataclass(frozen=True)
class AddSummary:
    version: int
    outcomes: dict[tuple[str, str], str]  # (type, value) -> an Outcome

    def count(self, outcome: str) -> int:
        return sum(1 for value in self.outcomes.values() if value == outcome)

    @property
    def added(self) -> int:
        return self.count(Outcome.ADDED)

    @property
    def already_listed(self) -> int:
        return self.count(Outcome.ALREADY_LISTED)

    @property
    def kept_off(self) -> int:
        return self.count(Outcome.KEPT_OFF)


def checked_hash(
    kind: str, value: str, *, category: str = "", quality: int | None = None
) -> NewHash:
    """Validate one incoming hash; `InvalidHash` says what is wrong.

    Every way onto the list (capture API, imports, demo) passes here.  Degenerate values (the
    digests of an empty file, an all-zero PDQ) are refused whatever quality is claimed for
    them.  PDQ hashes need their quality, and one below TURNTIDE_PDQ_MIN_QUALITY is refused:
    such hashes come from flat or tiny images and match unrelated pictures.
    """
    kind = kind.strip().lower()
    normalized = canonical_hash(kind, value)
    degenerate = degenerate_reason(kind, normalized)
    if degenerate:
        raise InvalidHash(degenerate)
    category = category.strip().upper()
    if category and category not in CATEGORIES:
        raise InvalidHash(f"category {category!r} is not one of A, B, C (or empty)")
    if kind == "pdq":
        minimum = settings.TURNTIDE_PDQ_MIN_QUALITY
        if quality is None:
            raise InvalidHash("a pdq hash needs its quality (0 to 100)")
        if not 0 <= quality <= 100:
            raise InvalidHash(f"pdq quality {quality} is outside 0 to 100")
        if quality < minimum:
            raise InvalidHash(
                f"pdq quality {quality} is below {minimum}: such hashes match unrelated "
                "images (TURNTIDE_PDQ_MIN_QUALITY)"
            )
    return NewHash(kind, normalized, category, quality if kind == "pdq" else None)


def hotline_source() -> HashSource:
    """The source of the hotline's own assessments, named after the hotline."""
    source, _created = HashSource.objects.get_or_create(
        name=settings.OTP_TOTP_ISSUER, defaults={"trust": HashSource.Trust.HOTLINE}
    )
    return source


@transaction.atomic
def do_create_source(
    actor: Actor,
    name: str,
    *,
    trust: str = HashSource.Trust.PARTNER,
    licence: str = "",
    pdq_threshold: int | None = None,
) -> HashSource:
    source = HashSource(name=name, trust=trust, licence=licence)
    if pdq_threshold is not None:
        source.pdq_threshold = pdq_threshold
    source.full_clean()
    source.save()
    record(
        actor,
        "hashsource.created",
        object_type="hashsource",
        object_code=name,
        details={"trust": trust, "licence": licence, "pdq_threshold": source.pdq_threshold},
    )
    return source


def _listed(values: list[str], **conditions: object) -> set[tuple[str, str]]:
    """(type, value) of the entries with these values meeting `conditions`, in chunks that
    stay within every database's limit on query parameters."""
    found: set[tuple[str, str]] = set()
    for start in range(0, len(values), LOOKUP_CHUNK):
        chunk = values[start : start + LOOKUP_CHUNK]
        entries = HashEntry.objects.filter(value__in=chunk, **conditions)
        found.update(entries.values_list("type", "value"))
    return found


@transaction.atomic
def do_update_source(actor: Actor, source: HashSource, *, trust: str, licence: str) -> None:
    """Change what members are not sent (trust, licence); the threshold has its own action."""
    previous = HashSource.objects.values("trust", "licence").get(pk=source.pk)
    source.trust, source.licence = trust, licence
    source.full_clean(exclude=["name"])
    source.save(update_fields=["trust", "licence"])
    record(
        actor,
        "hashsource.changed",
        object_type="hashsource",
        object_code=source.name,
        details={"from": previous, "to": {"trust": trust, "licence": licence}},
    )


@transaction.atomic
def do_add_hashes(
    actor: Actor, source: HashSource, hashes: Sequence[NewHash], *, case: URLCase | None = None
) -> AddSummary:
    """List the hashes not listed yet, all in one new version."""
    with next_version(HASH_LIST) as version:
        wanted = {(item.type, item.value): item for item in hashes}
        values = [value for _kind, value in wanted]
        present = _listed(values, withdrawn_version__isnull=True)
        harmless = _listed(values, withdrawal_reason=HashEntry.Withdrawal.FALSE_POSITIVE)
        outcomes = {
            key: Outcome.ALREADY_LISTED
            if key in present
            else Outcome.KEPT_OFF
            if key in harmless
            else Outcome.ADDED
            for key in wanted
        }
        new = [item for key, item in wanted.items() if outcomes[key] == Outcome.ADDED]
        if not new:
            return AddSummary(version.published, outcomes)
        by = actor_name(actor)
        HashEntry.objects.bulk_create(
            [
                HashEntry(
                    type=item.type,
                    value=item.value,
                    category=item.category,
                    pdq_quality=item.pdq_quality,
                    source=source,
                    case=case,
                    added_version=version.number,
                    added_at=version.at,
                    added_by=by,
                )
                for item in new
            ],
            batch_size=2000,
        )
        version.changed = True
    record(
        actor,
        "hashes.added",
        object_type="case" if case else "hashsource",
        object_code=case.code if case else source.name,
        details={"version": version.number, "source": source.name, "added": len(new)},
    )
    return AddSummary(version.number, outcomes)


@transaction.atomic
def do_withdraw_hashes(
    actor: Actor, entries: QuerySet[HashEntry], reason: str, note: str = ""
) -> int:
    """Withdraw the present entries among `entries`; return how many were withdrawn."""
    if reason not in HashEntry.Withdrawal.values:
        raise ValueError(f"unknown withdrawal reason {reason!r}")
    with next_version(HASH_LIST) as version:
        present = entries.filter(withdrawn_version__isnull=True)
        withdrawn = list(present.values_list("type", "value")[:20])
        count = present.update(
            withdrawn_version=version.number,
            withdrawn_at=version.at,
            withdrawn_by=actor_name(actor),
            withdrawal_reason=reason,
            withdrawal_note=note[:500],
        )
        version.changed = count > 0
    if count:
        record(
            actor,
            "hashes.withdrawn",
            object_type="hashlist",
            object_code=HASH_LIST,
            details={
                "version": version.number,
                "count": count,
                "reason": reason,
                "note": note[:500],
                "first": [f"{kind}:{value}" for kind, value in withdrawn],
            },
        )
    return count


@transaction.atomic
def do_set_source_threshold(actor: Actor, source: HashSource, threshold: int) -> int:
    """Change a source's PDQ threshold and republish its PDQ entries with it.

    Members hold each entry's threshold, so the entries are replaced in one new version:
    the delta carries them again with the new one. Returns the list version.
    """
    if not 0 <= threshold <= 256:
        raise ValueError("a PDQ threshold is from 0 to 256 bits")
    previous = source.pdq_threshold
    with next_version(HASH_LIST) as version:
        HashSource.objects.filter(pk=source.pk).update(pdq_threshold=threshold)
        source.pdq_threshold = threshold
        present = HashEntry.objects.filter(
            source=source, type=HashEntry.Type.PDQ, withdrawn_version__isnull=True
        )
        rows = list(present)
        by = actor_name(actor)
        present.update(
            withdrawn_version=version.number,
            withdrawn_at=version.at,
            withdrawn_by=by,
            withdrawal_reason=HashEntry.Withdrawal.REPLACED,
        )
        for row in rows:
            row.pk = None
            row.added_version, row.added_at, row.added_by = version.number, version.at, by
        HashEntry.objects.bulk_create(rows, batch_size=2000)
        version.changed = True  # members hold each entry's threshold: all are sent again
    record(
        actor,
        "hashsource.threshold_changed",
        object_type="hashsource",
        object_code=source.name,
        details={
            "version": version.number,
            "from": previous,
            "to": threshold,
            "entries": len(rows),
        },
    )
    return version.number


def do_reconcile_case_hashes(actor: Actor = None, cases: Iterable[int] | None = None) -> int:
    """Withdraw the entries of cases no longer judged criminal (an upheld appeal)."""
    stale = HashEntry.objects.filter(case__isnull=False).exclude(case__status__in=CRIMINAL_STATUSES)
    if cases is not None:
        stale = stale.filter(case__in=list(cases))
    if not stale.filter(withdrawn_version__isnull=True).exists():
        return 0
    return do_withdraw_hashes(actor, stale, HashEntry.Withdrawal.CASE_NOT_CRIMINAL)
