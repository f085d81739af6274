"""The queue's priority order: explicit, documented, configurable.

TURNTIDE_QUEUE_ORDER lists the keys below, most important first. The default:
  danger       a reporter said a child may be in immediate danger
  confidence   how often the best source that reported it turned out right (trusted
               reporters and proactive finds rank above the public, by measured accuracy)
  reports      how many reports name the address
  due          the earliest due time (first report + TURNTIDE_ASSESSMENT_TARGET_HOURS)
"""

from __future__ import annotations

from django.conf import settings

ORDER_BY = {
    "danger": "-immediate_danger",
    "confidence": "-source_confidence",
    "reports": "-report_count",
    "due": "due_at",
}
DEFAULT_ORDER = ["danger", "confidence", "reports", "due"]


class UnknownPriorityKey(ValueError):
    pass


def queue_order() -> list[str]:
    keys = settings.TURNTIDE_QUEUE_ORDER or DEFAULT_ORDER
    unknown = [key for key in keys if key not in ORDER_BY]
    if unknown:
        raise UnknownPriorityKey(
            f"TURNTIDE_QUEUE_ORDER: unknown key(s) {', '.join(unknown)}; use {', '.join(ORDER_BY)}"
        )
    return [ORDER_BY[key] for key in keys] + ["pk"]
