"""Synthetic actioned URLs for insights tests, written in bulk as a historical import would."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime
from itertools import count

from turntide.cases.models import Assessment, URLCase

_numbers = count()


def actioned(rows: Iterable[tuple[datetime, dict[str, str]]]) -> None:
    """One criminal, decisive judgement per row: (assessed_at, grading fields)."""
    cases, assessments = [], []
    for assessed_at, grading in rows:
        url = f"http://insights{next(_numbers)}.example/gallery.html"
        case = URLCase(
            url_key=hashlib.sha256(url.encode()).hexdigest(),
            canonical_url=url,
            status=URLCase.Status.ACTIONED,
            actioned_at=assessed_at,
        )
        cases.append(case)
        assessments.append((case, assessed_at, grading))
    URLCase.objects.bulk_create(cases)
    Assessment.objects.bulk_create(
        Assessment(
            case=case,
            assessed_at=assessed_at,
            outcome="criminal",
            decisive=True,
            notes="analyst note 7Q3X, never to leave the hotline",
            **grading,
        )
        for case, assessed_at, grading in assessments
    )


def month(year: int, number: int, day: int = 10) -> datetime:
    return datetime(year, number, day, 12, tzinfo=UTC)
