"""A case: one web address, the reports joined to it, and analysts' judgements on it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from turntide.cases.priority import DEFAULT_ORDER, ORDER_BY
from turntide.core.codes import new_code

# The queue's default priority order, as index fields (the database's id is the last key).
QUEUE_ORDER = [*(ORDER_BY[key] for key in DEFAULT_ORDER), "id"]
# The statuses of the open queue (cases.transitions.WORKABLE_STATUSES).
OPEN_STATUSES = ("new", "verifying", "disputed")


def new_case_code() -> str:
    return new_code("C")


def new_assessment_code() -> str:
    return new_code("A")


class URLCase(models.Model):
    """One canonical web address and everything done about it."""

    class Status(models.TextChoices):
        NEW = "new", _("Awaiting assessment")
        VERIFYING = "verifying", _("Awaiting a second analyst")
        DISPUTED = "disputed", _("Analysts disagree: awaiting a senior analyst")
        ASSESSED = "assessed", _("Assessed, no action")
        ACTIONED = "actioned", _("Criminal, awaiting removal")
        REMOVED = "removed", _("Removed")

    code = models.CharField(_("code"), max_length=20, unique=True, default=new_case_code)
    url_key = models.CharField(_("URL key"), max_length=64, unique=True)
    canonical_url = models.TextField(_("canonical URL"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    created_at = models.DateTimeField(_("opened on"), default=timezone.now)
    status_changed_at = models.DateTimeField(_("status changed on"), default=timezone.now)
    immediate_danger = models.BooleanField(_("immediate danger"), default=False)
    report_count = models.PositiveIntegerField(_("reports"), default=0)
    first_reported_at = models.DateTimeField(_("first reported"), default=timezone.now)
    last_reported_at = models.DateTimeField(_("last reported"), default=timezone.now)
    # Queue priority inputs (see cases.priority): the best measured accuracy among the
    # sources that reported it, and when it should have been assessed by.
    source_confidence = models.FloatField(_("source confidence"), default=0.0)
    due_at = models.DateTimeField(_("due by"), default=timezone.now)
    # Who is working on it; a claim lapses after TURNTIDE_CLAIM_IDLE_MINUTES without activity.
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        verbose_name=_("claimed by"),
        null=True,
        blank=True,
        related_name="claimed_cases",
    )
    claimed_at = models.DateTimeField(_("claimed on"), null=True, blank=True)
    hosting_country = models.CharField(_("hosting country"), max_length=2, blank=True)
    # Removal clock (glossary: actioned = confirmed criminal and notice or referral issued;
    # removed = confirmed gone). Set by takedown, or by a historical import; time to removal
    # is removed_at - actioned_at.
    actioned_at = models.DateTimeField(_("actioned on"), null=True, blank=True)
    removed_at = models.DateTimeField(_("removed on"), null=True, blank=True)
    # SHA-256 of the historical import file that created the case (see cases.importing);
    # empty for cases opened by reports.
    imported_from = models.CharField(_("imported from"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            # Serves the analyst queue: open cases in priority order.
            models.Index(
                fields=["status", "-immediate_danger", "-report_count", "created_at"],
                name="case_queue_idx",
            ),
            # Serves the queue of one status (`?status=`) in the default priority order
            # (cases.priority), read in index order, not sorted.
            models.Index(
                fields=["status", *QUEUE_ORDER],
                name="case_priority_idx",
            ),
            # Serves the open queue and "next case" in the default priority order: its pages
            # are read in index order, not sorted (50,000 open cases: sorting took 100 ms).
            models.Index(
                fields=QUEUE_ORDER,
                condition=models.Q(status__in=OPEN_STATUSES),
                name="case_open_queue_idx",
            ),
            # Serves time to removal in statistics: cases removed in a period.
            models.Index(
                fields=["removed_at"],
                condition=models.Q(removed_at__isnull=False),
                name="case_removed_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class CaseReport(models.Model):
    """A reported URL joined to the case of its web address."""

    case = models.ForeignKey(URLCase, on_delete=models.PROTECT, related_name="case_reports")
    reported_url = models.OneToOneField("reports.ReportedURL", on_delete=models.PROTECT)

    def __str__(self) -> str:
        return f"{self.case.code} <- {self.reported_url.report.reference}"


class Assessment(models.Model):
    """An analyst's judgement on a case."""

    class Outcome(models.TextChoices):
        CRIMINAL = "criminal", _("Criminal: child sexual abuse imagery")
        CRIMINAL_NON_PHOTOGRAPHIC = (
            "criminal_non_photographic",
            _("Criminal: non-photographic imagery"),
        )
        NOT_ILLEGAL = "not_illegal", _("Not illegal")
        UNAVAILABLE = "unavailable", _("Content unavailable")
        OTHER_HARM = "other_harm", _("Other harmful content")
        DUPLICATE = "duplicate", _("Duplicate of another case")
        NOT_ASSESSABLE = "not_assessable", _("Cannot be assessed")

    class Category(models.TextChoices):
        A = (
            "A",
            _("Category A: penetrative sexual activity, sexual activity with an animal, sadism"),
        )
        B = "B", _("Category B: non-penetrative sexual activity")
        C = "C", _("Category C: other indecent images")

    class AgeGroup(models.TextChoices):
        AGE_0_2 = "0-2", "0-2"
        AGE_3_6 = "3-6", "3-6"
        AGE_7_10 = "7-10", "7-10"
        AGE_11_13 = "11-13", "11-13"
        AGE_14_15 = "14-15", "14-15"
        AGE_16_17 = "16-17", "16-17"

    class Sex(models.TextChoices):
        GIRLS = "girls", _("Girls")
        BOYS = "boys", _("Boys")
        BOTH = "both", _("Both")
        UNKNOWN = "unknown", _("Unknown")

    class SelfGenerated(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        UNCLEAR = "unclear", _("Unclear")

    class SiteType(models.TextChoices):
        WEBSITE = "website", _("Website")
        IMAGE_HOST = "image_host", _("Image host")
        FORUM = "forum", _("Forum")
        CYBERLOCKER = "cyberlocker", _("Cyberlocker")
        SOCIAL_NETWORK = "social_network", _("Social network")
        CHAT = "chat", _("Chat")
        BLOG = "blog", _("Blog")
        REDIRECTOR = "redirector", _("Redirector")
        LINK_SITE = "link_site", _("Link site")
        BANNER_SITE = "banner_site", _("Banner site")

    class Kind(models.TextChoices):
        INITIAL = "initial", _("First assessment")
        VERIFICATION = "verification", _("Second analyst's verification")
        DECISION = "decision", _("Senior analyst's decision")
        APPEAL = "appeal", _("Decision on an appeal")

    class Media(models.TextChoices):
        IMAGES = "images", _("Images")
        VIDEOS = "videos", _("Videos")
        BOTH = "both", _("Images and videos")

    class LegalStatus(models.TextChoices):
        BASELINE = "baseline", _("Baseline: illegal in every country (INTERPOL's baseline)")
        NATIONAL = "nationally_illegal", _("National: illegal under our country's law")

    CRIMINAL_OUTCOMES = frozenset({Outcome.CRIMINAL, Outcome.CRIMINAL_NON_PHOTOGRAPHIC})

    code = models.CharField(_("code"), max_length=20, unique=True, default=new_assessment_code)
    case = models.ForeignKey(
        URLCase, on_delete=models.PROTECT, verbose_name=_("case"), related_name="assessments"
    )
    analyst = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        verbose_name=_("analyst"),
        null=True,
        blank=True,
    )
    # When the analyst began this judgement (their claim), for welfare's time working.
    started_at = models.DateTimeField(_("started on"), null=True, blank=True)
    assessed_at = models.DateTimeField(_("assessed on"), default=timezone.now)
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices)
    category = models.CharField(_("category"), max_length=1, choices=Category.choices, blank=True)
    age_group = models.CharField(_("age group"), max_length=5, choices=AgeGroup.choices, blank=True)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, blank=True)
    self_generated = models.CharField(
        _("self-generated"), max_length=10, choices=SelfGenerated.choices, blank=True
    )
    site_type = models.CharField(
        _("site type"), max_length=20, choices=SiteType.choices, blank=True
    )
    hosting_country = models.CharField(_("hosting country"), max_length=2, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.INITIAL)
    # The assessment whose judgement stands for the case; exactly one per decided case.
    decisive = models.BooleanField(_("decisive"), default=False)
    media = models.CharField(_("media"), max_length=10, choices=Media.choices, blank=True)
    image_count = models.PositiveIntegerField(_("number of images"), null=True, blank=True)
    video_count = models.PositiveIntegerField(_("number of videos"), null=True, blank=True)
    commercial = models.BooleanField(_("commercial"), default=False)
    multiple_children = models.BooleanField(_("several children"), default=False)
    ai_generated = models.BooleanField(
        _("AI-generated"), default=False, help_text=_("AI-generated or virtual")
    )
    # What ICCAM records instead of a national grading such as UK A/B/C, chosen by the analyst
    # while the exchange is on; blank leaves it to the INHOPE scheme's rules (cases.schemes).
    legal_status = models.CharField(
        _("legal status"), max_length=20, choices=LegalStatus.choices, blank=True
    )
    duplicate_of = models.ForeignKey(
        "URLCase",
        on_delete=models.PROTECT,
        verbose_name=_("duplicate of"),
        null=True,
        blank=True,
        related_name="+",
    )
    referred_to = models.CharField(_("referred to"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=4000)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            # One judgement stands for a case at any time.
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(decisive=True),
                name="assessment_one_decisive_per_case",
            ),
        ]
        indexes = [
            # Serves annual statistics: assessments in a period by outcome.
            models.Index(fields=["assessed_at", "outcome"], name="assessment_period_idx"),
            # Serves every statistic: standing judgements in a period.
            models.Index(
                fields=["assessed_at"],
                condition=models.Q(decisive=True),
                name="assessment_decisive_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.code}: {self.outcome}"


class SavedView(models.Model):
    """A named set of queue filters an analyst returns to, e.g. "trusted, hosted in NL"."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views"
    )
    name = models.CharField(max_length=80)
    query = models.CharField(max_length=500)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="saved_view_name_unique")
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
