"""A report, the URLs it names, and the trusted intake requests that carried them."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from turntide.core.codes import new_code


def new_reference() -> str:
    return new_code("TT")


class Report(models.Model):
    """One submission by one reporter. Stores no address, name or other identifier."""

    class Channel(models.TextChoices):
        PUBLIC = "public", _("Public form")
        TRUSTED = "trusted", _("Trusted reporter")
        PROACTIVE = "proactive", _("Proactive search")
        IMPORT = "import", _("Historical import")

    class ContentType(models.TextChoices):
        IMAGES = "images", _("Images")
        VIDEOS = "videos", _("Videos")
        BOTH = "both", _("Images and videos")
        UNSURE = "unsure", _("Not sure")

    class FoundWhere(models.TextChoices):
        WEBSITE = "website", _("A website")
        SEARCH = "search", _("Search results")
        SOCIAL = "social", _("Social media or an app")
        CHAT = "chat", _("Chat or messaging")
        EMAIL = "email", _("Email")
        OTHER = "other", _("Somewhere else")

    reference = models.CharField(_("reference"), max_length=20, unique=True, default=new_reference)
    channel = models.CharField(
        _("channel"), max_length=20, choices=Channel.choices, default=Channel.PUBLIC
    )
    received_at = models.DateTimeField(_("received on"), default=timezone.now)
    content_type = models.CharField(
        _("content type"), max_length=10, choices=ContentType.choices, blank=True
    )
    found_where = models.CharField(
        _("found where"), max_length=10, choices=FoundWhere.choices, blank=True
    )
    description = models.TextField(_("description"), blank=True, max_length=2000)
    immediate_danger = models.BooleanField(_("immediate danger"), default=False)
    # Code of the trusted organisation that sent it; empty for public reports.
    source = models.CharField(_("trusted source"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        indexes = [
            # Serves statistics of reports received per period and channel.
            models.Index(fields=["received_at", "channel"], name="report_received_idx"),
        ]

    def __str__(self) -> str:
        return self.reference


class ReportedURL(models.Model):
    """One URL line of a report, as submitted and as canonicalised."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="urls")
    submitted = models.TextField()
    canonical_url = models.TextField()
    # Hex SHA-256 of the Safe Browsing full expression: one web address, one key.
    url_key = models.CharField(max_length=64)
    first_of_its_key = models.BooleanField()
    # Optional details a trusted reporter may give per URL.
    content_type = models.CharField(max_length=10, choices=Report.ContentType.choices, blank=True)
    found_at = models.DateTimeField(null=True, blank=True)
    found_by = models.CharField(max_length=200, blank=True, help_text="The reporter's source.")
    notes = models.TextField(blank=True, max_length=2000)
    external_reference = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [
            # Serves "has this web address been reported before?" at intake.
            models.Index(fields=["url_key"], name="reportedurl_key_idx"),
        ]

    def __str__(self) -> str:
        return self.canonical_url


class IntakeRequest(models.Model):
    """The first answer to an API request with an Idempotency-Key, replayed on retries.

    Written in the same transaction as the report, so a key is taken exactly when the report
    is committed: a retry after a lost answer finds it, a retry after a failure does not.
    """

    source = models.CharField(max_length=20)
    key = models.CharField(max_length=200)
    request_digest = models.CharField(max_length=64)
    response = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "key"], name="intake_request_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.key}"
