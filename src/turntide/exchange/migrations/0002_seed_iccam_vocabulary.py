"""Seed ICCAM's v3 lookups (SCART's seed of 2023-03-17) and the mapping from Turntide's
grading to them, as set out in the project's ICCAM-v3 notes. Idempotent: what exists is kept,
so an administrator's changes survive."""

from django.db import migrations

TERMS = {
    "classifications": {1: "Baseline CSAM", 2: "National CSAM", 4: "Ignore (not illegal)"},
    "age-categories": {1: "Not categorised", 2: "Infant", 3: "Pre-pubescent", 4: "Pubescent"},
    "gender-categories": {1: "Not Determined", 2: "Female", 3: "Male", 4: "Both"},
    "commercialities": {1: "Not Determined", 2: "Commercial", 3: "Non-Commercial"},
    "payment-methods": {
        1: "Not Determined", 2: "AMEX", 3: "Diners", 4: "Mastercard", 5: "Paypal", 6: "Visa",
        7: "Western Union", 8: "Other", 9: "None", 10: "SMS", 11: "EMAIL",
        12: "Liberty Reserve", 13: "Bitcoin",
    },
    "site-types": {
        2: "Website", 3: "File host", 4: "Image store", 5: "Image board", 6: "Forum",
        7: "Banner site", 8: "Link site", 9: "Social Networking", 10: "Redirector",
        11: "Web archive", 18: "Search provider", 20: "Image host", 22: "Blog",
        24: "Not Applicable",
    },
    "action-types": {
        1: "ReportedToLEA", 2: "ReportedToISP", 3: "Removed", 4: "Unavailable", 6: "NotIllegal",
    },
    "action-reasons": {
        1: "Other", 2: "ContentNotFound", 3: "ReferrerNotKnownOrIncorrect", 4: "UnableToAccess",
        5: "PasswordProtected", 6: "AccountDisabled", 7: "LegallyUnableToAccess",
        8: "LinkExpired", 9: "Error404NotFoundOrSiteDown",
        10: "Error503OrContentTemporarilyUnavailable", 11: "PremiumAccountNecessary",
        12: "MissingPartsToOpenFile", 13: "ContentRemovedBeforeAssessment",
        14: "AdultPornography", 15: "NudismOrNotSexualized",
        16: "DoesNotMeetThresholdForIllegality", 17: "ImagesTooSmall", 18: "VirtualMaterial",
        19: "LinkingOrLinklistsNotIllegal", 20: "AgeUnclearOrNotAssessable",
        21: "AgeOverNationalThreshold",
    },
}

# (lookup, Turntide value, ICCAM id). Legal status and age are the INHOPE scheme's terms
# (cases.schemes.translate); `not_mappable` is sent where the grading does not decide it.
MAPPINGS = [
    ("classifications", "baseline", 1),
    ("classifications", "nationally_illegal", 2),
    ("classifications", "not_mappable", 2),
    ("classifications", "not_illegal", 4),
    ("age-categories", "infant", 2),
    ("age-categories", "pre_pubescent", 3),
    ("age-categories", "pubescent", 4),
    ("age-categories", "not_mappable", 1),
    ("gender-categories", "girls", 2),
    ("gender-categories", "boys", 3),
    ("gender-categories", "both", 4),
    ("gender-categories", "unknown", 1),
    ("commercialities", "yes", 2),
    ("commercialities", "no", 1),
    ("payment-methods", "unknown", 1),
    ("site-types", "website", 2),
    ("site-types", "image_host", 20),
    ("site-types", "forum", 6),
    ("site-types", "cyberlocker", 3),
    ("site-types", "social_network", 9),
    ("site-types", "chat", 24),
    ("site-types", "blog", 22),
    ("site-types", "redirector", 10),
    ("site-types", "link_site", 8),
    ("site-types", "banner_site", 7),
    ("site-types", "unknown", 2),
    ("action-types", "removed", 3),
    ("action-types", "unavailable", 4),
    ("action-types", "not_illegal", 6),
    ("action-reasons", "unavailable", 2),
    ("action-reasons", "not_illegal", 16),
]


def seed_vocabulary(apps, schema_editor):
    Term = apps.get_model("exchange", "IccamTerm")
    Mapping = apps.get_model("exchange", "VocabularyMapping")
    for lookup, names in TERMS.items():
        for iccam_id, name in names.items():
            Term.objects.get_or_create(lookup=lookup, iccam_id=iccam_id, defaults={"name": name})
    for lookup, value, iccam_id in MAPPINGS:
        term = Term.objects.get(lookup=lookup, iccam_id=iccam_id)
        Mapping.objects.get_or_create(lookup=lookup, turntide_value=value, defaults={"term": term})


class Migration(migrations.Migration):
    dependencies = [("exchange", "0001_rounds_calls_items_vocabulary")]

    operations = [migrations.RunPython(seed_vocabulary, migrations.RunPython.noop)]
