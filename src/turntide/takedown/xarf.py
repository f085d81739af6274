"""X-ARF v4 reports of the `content`/`csam` type, one JSON attachment per URL of a notice.

Hosts' abuse desks (AbuseIO, IntelMQ and the like) parse these instead of the text. Field
names follow the X-ARF v4 core and `content-csam` schemas (https://xarf.org/schemas/v4/):
`classification` takes the INHOPE legal status of the standing assessment when that is one
of the schema's values, else `baseline`. The report id is derived from the notice's code, so
a resent notice carries the same report.
"""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings

from turntide.cases.models import Assessment
from turntide.cases.schemes import translate

if TYPE_CHECKING:
    from turntide.takedown.notices import Item

XARF_VERSION = "4.0.0"
CLASSIFICATIONS = frozenset({"baseline", "A1", "A2", "B1", "B2"})
MEDIA_TYPES: dict[str, str] = {
    Assessment.Media.IMAGES: "image",
    Assessment.Media.VIDEOS: "video",
    Assessment.Media.BOTH: "mixed",
}


def _classification(standing: Assessment | None) -> str:
    if standing is None:
        return "baseline"
    legal_status = translate(standing, "inhope").get("legal_status", "")
    return legal_status if legal_status in CLASSIFICATIONS else "baseline"


def report(notice_code: str, item: Item) -> dict[str, Any]:
    """The X-ARF report of one URL of a notice."""
    sender = settings.DEFAULT_FROM_EMAIL
    hotline = {
        "org": settings.OTP_TOTP_ISSUER,
        "contact": sender,
        "domain": sender.rpartition("@")[2],
    }
    standing = item.case.assessments.filter(decisive=True).first()
    found: dict[str, Any] = {
        "xarf_version": XARF_VERSION,
        "report_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"turntide:notice:{notice_code}")),
        "timestamp": item.trace.traced_at.isoformat().replace("+00:00", "Z"),
        "reporter": hotline,
        "sender": hotline,
        "source_identifier": (item.trace.addresses or [item.trace.host])[0],
        "category": "content",
        "type": "csam",
        "url": item.case.canonical_url,
        "classification": _classification(standing),
        "detection_method": "manual_review",
        "evidence_source": "user_report",
        "content_removed": False,
        "description": f"Assessed as child sexual abuse material; our reference {item.case.code}",
    }
    if standing is not None and standing.media in MEDIA_TYPES:
        found["media_type"] = MEDIA_TYPES[standing.media]
    return found


def attachment(notice_code: str, item: Item) -> dict[str, str]:
    """The report as a mail attachment, named after the case."""
    return {
        "filename": f"xarf-{item.case.code}.json",
        "content_type": "application/json",
        "content": json.dumps(report(notice_code, item), indent=2, sort_keys=True),
    }
