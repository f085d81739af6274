"""Who hears about a case: the route its hosting decides, and the addressees of each step.

Hosted at home: the host (and the police, per TURNTIDE_POLICE_NOTIFY). Hosted where a
partner hotline works: a referral to that hotline. Elsewhere: the host, in English. Behind
a CDN: the CDN, asked for the origin. When content stays up, each route escalates the same
way: a re-notice, then the upstream provider or registrar, then the police.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings

from turntide.cases.models import Assessment
from turntide.takedown.models import HostingTrace, Notice, PartnerHotline, Provider, Takedown

Route = Takedown.Route
Recipient = Notice.Recipient

FIRST_NOTICE, RENOTICE, UPSTREAM, POLICE = range(4)
LAST_STEP = POLICE
# How settings name the steps (TURNTIDE_NOTICE_HOLD_MINUTES).
STEP_NAMES = ("first", "renotice", "upstream", "police")

# Finds an abuse address for an AS number when the directory has none (RDAP, optional).
AbuseLookup = Callable[[HostingTrace], str]


@dataclass(frozen=True)
class Addressee:
    """One recipient of one step; `email` is empty when nobody is known to write to."""

    recipient_type: str
    email: str
    language: str


def choose_route(trace: HostingTrace) -> tuple[str, PartnerHotline | None]:
    """The route for content hosted as `trace` found it, and the partner hotline if any."""
    if trace.cdn:
        return Route.CDN, None
    if trace.country and trace.country == settings.TURNTIDE_HOME_COUNTRY:
        return Route.HOME, None
    partner = PartnerHotline.objects.filter(country=trace.country).first()
    if trace.country and partner is not None:
        return Route.PARTNER, partner
    return Route.ABROAD, None


def provider_of(trace: HostingTrace) -> Provider | None:
    if trace.asn is None:
        return None
    return Provider.objects.filter(asn=trace.asn).first()


def host_contact(trace: HostingTrace, lookup: AbuseLookup | None) -> str:
    """The directory's abuse address for the trace's network (typed or confirmed by staff).

    Without one, `lookup` (RDAP) is asked, and what it finds is kept on the network's entry as
    a suggestion for an analyst to confirm: an address found automatically is never used
    before that, so the answer is then "" (no contact yet)."""
    provider = provider_of(trace)
    if provider is not None and provider.abuse_email:
        return provider.abuse_email
    if lookup is None or trace.asn is None:
        return ""
    found = lookup(trace)
    if found:
        Provider.objects.update_or_create(
            asn=trace.asn,
            defaults={"suggested_email": found},
            create_defaults={
                "suggested_email": found,
                "name": trace.as_name or f"AS{trace.asn}",
                "country": trace.country,
            },
        )
    return ""


def police_hear_at_once(takedown: Takedown) -> bool:
    """The police notification policy for content hosted at home."""
    policy = settings.TURNTIDE_POLICE_NOTIFY
    if takedown.route != Route.HOME or policy == "never":
        return False
    if policy == "always":
        return True
    standing = takedown.case.assessments.filter(decisive=True).first()
    return standing is not None and standing.category == Assessment.Category.A


def addressees(takedown: Takedown, step: int, lookup: AbuseLookup | None) -> list[Addressee]:
    """Whom step `step` of this takedown writes to (0: first notice ... 3: police)."""
    home_language = settings.LANGUAGE_CODE
    police = Addressee(Recipient.POLICE, settings.TURNTIDE_POLICE_EMAIL, home_language)
    if step == UPSTREAM:
        provider = provider_of(takedown.trace)
        upstream = provider.upstream_email if provider is not None else ""
        language = home_language if takedown.route == Route.HOME else "en"
        return [Addressee(Recipient.UPSTREAM, upstream, language)]
    if step == POLICE:
        return [police]
    if takedown.route == Route.PARTNER and takedown.partner is not None:
        first = Addressee(Recipient.PARTNER, takedown.partner.email, takedown.partner.language)
    elif takedown.route == Route.CDN:
        first = Addressee(Recipient.CDN, host_contact(takedown.trace, lookup), "en")
    elif takedown.route == Route.HOME:
        first = Addressee(Recipient.HOST, host_contact(takedown.trace, lookup), home_language)
    else:
        first = Addressee(Recipient.HOST, host_contact(takedown.trace, lookup), "en")
    if step == FIRST_NOTICE and police_hear_at_once(takedown):
        return [first, police]
    return [first]


def removers(takedown: Takedown, step: int, lookup: AbuseLookup | None) -> list[Addressee]:
    """The addressees of a step sent again (to a new or corrected contact): those who can
    remove it; the police only when the step is theirs."""
    return [
        who
        for who in addressees(takedown, step, lookup)
        if step == POLICE or who.recipient_type != Recipient.POLICE
    ]
