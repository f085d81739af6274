"""Reading the hash list: deltas since a version, and matching hashes on the server."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from turntide.core.hashing import InvalidHash
from turntide.core.hashlist import canonical_hash
from turntide.core.matching import PDQIndex
from turntide.hashes.actions import LOOKUP_CHUNK
from turntide.hashes.models import HashEntry
from turntide.lists.models import HASH_LIST
from turntide.lists.versions import Delta, published, versioned_delta

# What a member receives of each entry; the threshold only matters for PDQ.
_FIELDS = ("type", "value", "category", "source__name", "source__pdq_threshold")


def _entry(row: dict[str, Any]) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "type": row["type"],
        "value": row["value"],
        "category": row["category"],
        "source": row["source__name"],
    }
    if row["type"] == HashEntry.Type.PDQ:
        entry["threshold"] = row["source__pdq_threshold"]
    return entry


def hash_list_delta(since: int) -> Delta:
    """What changed after version `since` (0: the whole list as `added`)."""
    # One withdrawn and listed again in between (a new threshold) is among the added, with
    # its new details.
    delta = versioned_delta(
        HashEntry.objects.all(),
        HASH_LIST,
        since,
        _FIELDS,
        identity=("type", "value"),
        order="pk",
        gone="withdrawn_version",
        removed_fields=("type", "value"),
    )
    return replace(delta, added=[_entry(row) for row in delta.added])


class _PDQSnapshot:
    """The present PDQ entries of one list version, indexed for near-duplicate search."""

    def __init__(self, version: int, published: datetime | None) -> None:
        rows = list(
            HashEntry.objects.filter(type=HashEntry.Type.PDQ, withdrawn_version__isnull=True)
            .order_by("pk")
            .values_list("value", "category", "source__name", "source__pdq_threshold")
        )
        self.version, self.published = version, published
        self.rows = rows
        self.index = PDQIndex([row[0] for row in rows]) if rows else None
        self.radius = max((row[3] for row in rows), default=0)

    def within_threshold(self, hits: list[tuple[int, int]]) -> list[dict[str, Any]]:
        """The hits (index, distance; nearest first) within their own source's threshold."""
        matches = []
        for index, distance in hits:
            _value, category, source, threshold = self.rows[index]
            if distance <= threshold:
                matches.append(
                    {"type": "pdq", "distance": distance, "category": category, "source": source}
                )
        return matches


_snapshot: _PDQSnapshot | None = None
_snapshot_lock = threading.Lock()


def _pdq_snapshot() -> _PDQSnapshot:
    """The index of the current version, rebuilt in this process when the list changed.

    Known by version and publication time: a database restored from a backup may reuse a
    version number, never both.
    """
    global _snapshot
    current = published(HASH_LIST)
    with _snapshot_lock:
        if _snapshot is None or (_snapshot.version, _snapshot.published) != current:
            _snapshot = _PDQSnapshot(*current)
        return _snapshot


@dataclass(frozen=True)
class MatchAnswer:
    """The matches of one submitted hash, nearest first, or why it could not be checked."""

    type: str
    value: str
    matches: list[dict[str, Any]]
    error: str | None = None


@dataclass(frozen=True)
class MatchReport:
    version: int  # the list version the hashes were matched against
    answers: list[MatchAnswer]


def match_hashes(hashes: Sequence[tuple[str, str]]) -> MatchReport:
    """Each hash's matches: exact for MD5, SHA-1 and PhotoDNA; PDQ within its source's
    threshold. A malformed hash is answered with its error; the others are still checked."""
    answers: list[MatchAnswer | None] = [None] * len(hashes)
    exact: dict[tuple[str, str], list[int]] = {}
    pdq: list[tuple[int, str]] = []
    for position, (kind, value) in enumerate(hashes):
        try:
            normalized = canonical_hash(kind, value)
        except InvalidHash as error:
            answers[position] = MatchAnswer(kind, value, [], str(error))
            continue
        if kind == HashEntry.Type.PDQ:
            pdq.append((position, normalized))
        else:
            exact.setdefault((kind, normalized), []).append(position)
    found: dict[int, list[dict[str, Any]]] = {}
    snapshot = _pdq_snapshot()
    keys = list(exact)
    for start in range(0, len(keys), LOOKUP_CHUNK):
        chunk = keys[start : start + LOOKUP_CHUNK]
        rows = HashEntry.objects.filter(
            value__in=[value for _kind, value in chunk], withdrawn_version__isnull=True
        ).values_list("type", "value", "category", "source__name")
        for kind, value, category, source in rows:
            match = {"type": kind, "distance": 0, "category": category, "source": source}
            for position in exact.get((kind, value), []):
                found.setdefault(position, []).append(match)
    if pdq and snapshot.index is not None:
        results = snapshot.index.query_batch([h for _p, h in pdq], radius=snapshot.radius)
        for (position, _hash), hits in zip(pdq, results, strict=True):
            found[position] = snapshot.within_threshold(hits)
    return MatchReport(
        snapshot.version,
        [
            answer or MatchAnswer(kind, value, found.get(position, []))
            for position, (answer, (kind, value)) in enumerate(zip(answers, hashes, strict=True))
        ],
    )
