"""What this hotline tells ICCAM: the insert body of a case, and the action that closes an item.

Every id comes from the mapping table (exchange.vocabulary). Legal status and age are first
put in the INHOPE scheme's terms (cases.schemes), whose rules already say where the UK grading
decides them, unless the analyst chose Baseline or National on the grading panel; where
neither does, the `not_mappable` row is sent (National CSAM, by default: Baseline is a claim
that holds in every country, so it is never guessed).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.utils import timezone

from turntide.cases.models import Assessment, URLCase
from turntide.cases.schemes import AGE, LEGAL_STATUS, NOT_MAPPABLE, translate
from turntide.exchange.vocabulary import iccam_id
from turntide.takedown.models import HostingTrace

WEBSITE_CONTENT = 2  # ICCAM's contentType: 1 media, 2 website; a case is a web address


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _yes(flag: bool) -> int:
    return 1 if flag else 0


def assessment_body(assessment: Assessment) -> dict[str, Any]:
    inhope = translate(assessment, "inhope")
    return {
        "assessingAnalystName": assessment.analyst.get_username() if assessment.analyst else "",
        "classification": iccam_id(
            "classifications",
            assessment.legal_status or inhope.get(LEGAL_STATUS, NOT_MAPPABLE),
        ),
        "ageCategorization": iccam_id("age-categories", inhope.get(AGE, NOT_MAPPABLE)),
        "genderCategorization": iccam_id("gender-categories", assessment.sex or "unknown"),
        "virtualContentCategorization": _yes(
            assessment.ai_generated
            or assessment.outcome == Assessment.Outcome.CRIMINAL_NON_PHOTOGRAPHIC
        ),
        "userGeneratedContentCategorization": _yes(
            assessment.self_generated == Assessment.SelfGenerated.YES
        ),
        "childModelingCategorization": 0,
    }


def insert_body(
    case: URLCase, assessment: Assessment, trace: HostingTrace | None
) -> dict[str, Any]:
    """`POST rest/reports` for one case: its URL, hosting and our standing judgement."""
    analyst = assessment.analyst.get_username() if assessment.analyst else ""
    url: dict[str, Any] = {
        "urlString": case.canonical_url,
        "hotlineReference": case.code,
        "hostingCountryCode": assessment.hosting_country or (trace.country if trace else ""),
        "hostingIpAddress": trace.addresses[0] if trace and trace.addresses else "",
        "hostingIsp": trace.as_name if trace else "",
        "hostingOrganization": {
            "organizationName": trace.as_name if trace else "",
            "autonomousSystemNumber": trace.asn if trace else None,
            "isContentDeliveryNetwork": bool(trace and trace.cdn),
        },
        "isSourceUrl": True,
        "memo": "",
        "contentType": WEBSITE_CONTENT,
        "assessment": assessment_body(assessment),
        "actions": [],
    }
    return {
        "reportingAnalystName": analyst,
        "hotlineReceivedDate": iso(case.first_reported_at),
        "hotlineReference": case.code,
        "memo": "",
        "sourceUrlSiteType": iccam_id("site-types", assessment.site_type or "unknown"),
        "sourceUrlCommerciality": iccam_id(
            "commercialities", "yes" if assessment.commercial else "no"
        ),
        "sourceUrlPaymentMethods": [iccam_id("payment-methods", "unknown")],
        "urls": [url],
    }


# What closes an item at ICCAM, by the case's state here.
FINAL_STATES = ("removed", "unavailable", "not_illegal")


def final_state(case: URLCase, decisive: Assessment | None) -> str | None:
    """removed, unavailable or not_illegal when the case ends its item at ICCAM, else None."""
    if case.status == URLCase.Status.REMOVED:
        return "removed"
    if decisive is not None and decisive.outcome in FINAL_STATES:
        return str(decisive.outcome)
    return None


def action_body(
    case: URLCase, state: str, decisive: Assessment | None, fallback_analyst: str
) -> dict[str, Any]:
    """`POST rest/Content/{id}/actions`, dated when it happened here; a reason goes only with
    action types above 3. Removal is confirmed by the re-check worker, so it may have no
    analyst: then the exchange's own ICCAM user is named."""
    analyst = decisive.analyst if decisive is not None else None
    if state == "removed":
        when = case.removed_at
    else:
        when = decisive.assessed_at if decisive is not None else None
    action_type = iccam_id("action-types", state)
    body: dict[str, Any] = {
        "actionType": action_type,
        "actioningAnalystName": analyst.get_username() if analyst else fallback_analyst,
        "actionDate": iso(when or timezone.now()),
    }
    if action_type > 3:
        body["reasonId"] = iccam_id("action-reasons", state)
    return body
