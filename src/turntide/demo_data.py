"""Synthetic demo data: accounts, reports and assessed cases on reserved domain names only.

Seeding is idempotent: every object has a fixed identity (username, report reference), and
what exists already is left alone, so `turntide demo` can run any number of times.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from turntide.accounts import roles
from turntide.accounts.actions import do_create_staff_user
from turntide.cases.actions import do_assess
from turntide.cases.models import Assessment, URLCase
from turntide.members.actions import do_create_organisation
from turntide.members.keywords import do_add_keyword
from turntide.members.models import Keyword, Membership, Organisation
from turntide.reports.actions import do_receive_report
from turntide.reports.models import Report

DEMO_PASSWORD = "turntide-demo"  # noqa: S105  (demo profile only, printed to the user)
DEMO_USERS: dict[str, list[str]] = {
    "analyst": [roles.ANALYST],
    "analyst2": [roles.ANALYST],  # a second analyst, to verify the first one's work
    "senior": [roles.SENIOR_ANALYST],
    "manager": [roles.MANAGER],
    "admin": [roles.ADMINISTRATOR],
    "researcher": [roles.RESEARCHER],
    "member": [roles.MEMBER_ADMINISTRATOR],  # of Demo ISP: issues its tokens in /members/
}
DEMO_REPORTS = 300
RESERVED_SUFFIXES = ("example.com", "example.net", "example.org", "test", "example")
PATH_WORDS = ("gallery", "img", "album", "photos", "view", "files", "share", "p", "u", "media")
COUNTRIES = ("NL", "NL", "NL", "US", "US", "BG", "HK", "RO", "DE", "FR", "RU", "GB")


def demo_reference(number: int) -> str:
    return f"TT-DM{number // 10000:02d}-{number % 10000:04d}"


def _demo_url(rng: random.Random) -> str:
    subdomain = rng.choice(("www.", "img.", "cdn.", ""))
    host = f"{subdomain}site{rng.randrange(60)}.{rng.choice(RESERVED_SUFFIXES)}"
    path = "/".join(rng.choice(PATH_WORDS) for _ in range(rng.randint(1, 3)))
    url = f"{host}/{path}/{rng.randrange(10_000)}.{rng.choice(('html', 'jpg', 'php'))}"
    if rng.random() < 0.2:
        url = url.upper() if rng.random() < 0.5 else f"https://{url}#top"
    return url


DEMO_MEMBER_ORGANISATION = "Demo ISP"
DEMO_MEMBER_SERVICES = ["hash-list", "keywords", "match", "url-list"]


def seed_users() -> int:
    created = 0
    for username, role_names in DEMO_USERS.items():
        if not User.objects.filter(username=username).exists():
            do_create_staff_user("system", username, DEMO_PASSWORD, role_names)
            created += 1
    organisation = Organisation.objects.filter(name=DEMO_MEMBER_ORGANISATION).first()
    if organisation is None:
        organisation = do_create_organisation(
            "system", DEMO_MEMBER_ORGANISATION, DEMO_MEMBER_SERVICES, kind=Organisation.Kind.ISP
        )
        created += 1
    Membership.objects.get_or_create(
        user=User.objects.get(username="member"), defaults={"organisation": organisation}
    )
    return created


def _grading(rng: random.Random) -> dict[str, str]:
    self_generated = rng.random() < 0.75
    return {
        "category": rng.choices("ABC", weights=(20, 25, 55))[0],
        "age_group": "11-13"
        if self_generated and rng.random() < 0.7
        else rng.choice(Assessment.AgeGroup.values),
        "sex": "girls" if rng.random() < 0.85 else rng.choice(Assessment.Sex.values),
        "self_generated": "yes" if self_generated else rng.choice(("no", "unclear")),
        "site_type": rng.choice(Assessment.SiteType.values),
        "hosting_country": rng.choice(COUNTRIES),
    }


def seed_reports(rng: random.Random) -> int:
    created = 0
    analyst = User.objects.get(username="analyst")
    now = timezone.now()
    for number in range(1, DEMO_REPORTS + 1):
        urls = [_demo_url(rng) for _ in range(rng.choices((1, 2, 3), weights=(8, 2, 1))[0])]
        received_at = now - timedelta(days=rng.randrange(3 * 365), minutes=rng.randrange(1440))
        reference = demo_reference(number)
        grading = _grading(rng)
        outcome_roll = rng.random()
        if Report.objects.filter(reference=reference).exists():
            continue
        with transaction.atomic():
            _report, reported = do_receive_report(
                "public",
                urls,
                channel=rng.choice(Report.Channel.values[:3]),
                content_type=rng.choice(Report.ContentType.values),
                immediate_danger=rng.random() < 0.02,
                reference=reference,
                received_at=received_at,
            )
            created += 1
            if number > DEMO_REPORTS * 0.9:
                continue  # the newest tenth stays in the queue for the demo analyst
            for reported_url in reported:
                case = URLCase.objects.get(url_key=reported_url.url_key)
                if case.status != URLCase.Status.NEW:
                    continue
                criminal = outcome_roll < 0.6
                assessment = Assessment(
                    outcome=Assessment.Outcome.CRIMINAL
                    if criminal
                    else rng.choice(("not_illegal", "unavailable", "other_harm")),
                    assessed_at=received_at + timedelta(hours=rng.randint(1, 48)),
                    **(grading if criminal else {}),
                )
                do_assess(analyst, case, assessment)
    return created


# Placeholders: a real keyword list names abuse search terms, which have no place in a demo.
DEMO_KEYWORDS = (("demo placeholder term one", "en"), ("terme fictif de démonstration", "fr"))


def seed_keywords() -> int:
    analyst = User.objects.get(username="analyst")
    created = 0
    for term, language in DEMO_KEYWORDS:
        if not Keyword.objects.filter(term=term, language=language).exists():
            do_add_keyword(analyst, term, language)
            created += 1
    return created


def seed() -> int:
    """Create whatever demo data is missing; return how many top-level objects were added."""
    rng = random.Random(20261126)  # noqa: S311  (reproducible demo data, not security)
    return seed_users() + seed_reports(rng) + seed_keywords()
