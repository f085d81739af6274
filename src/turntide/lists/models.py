from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from turntide.core.codes import new_code

# The lists distributed to members, by the name their version row goes by.
URL_LIST = "urls"
KEYWORD_LIST = "keywords"
HASH_LIST = "hashes"


class ListVersion(models.Model):
    """The current version of one distributed list; every change bumps it by one."""

    name = models.CharField(max_length=20, unique=True)
    version = models.PositiveIntegerField(default=0)
    published_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


def new_feedback_code() -> str:
    return new_code("FB")


class Feedback(models.Model):
    """A member's word on a listed entry that matched: harmless (a false positive) or abuse.

    The entry is named by what identifies it across versions (`entry_type`, `entry_value`),
    not by its row, which a change of details replaces; its label, source and case are kept
    as they were, so the review list needs no other app. One row per member, entry and
    verdict: sending the same verdict again updates it.
    """

    class Verdict(models.TextChoices):
        FALSE_POSITIVE = "false_positive", _("Not abuse (false positive)")
        CONFIRMED = "confirmed", _("Confirmed abuse")

    class Kind(models.TextChoices):
        URL = "url", _("URL list")
        HASH = "hash", _("Hash list")

    code = models.CharField(max_length=20, unique=True, default=new_feedback_code)
    organisation = models.ForeignKey(
        "members.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=4, choices=Kind.choices)
    # url or domain (URL list), md5, sha1, pdq or photodna (hash list).
    entry_type = models.CharField(max_length=10)
    # The URL entry's plain SHA-256, or the hash itself.
    entry_value = models.CharField(max_length=2000)
    entry_label = models.TextField(help_text=_("The URL expression, or the hash."))
    source = models.CharField(max_length=100, blank=True, help_text=_("The hash's source."))
    case_code = models.CharField(max_length=20, blank=True)
    value = models.CharField(max_length=2000, help_text=_("The value as the member sent it."))
    verdict = models.CharField(max_length=20, choices=Verdict.choices)
    note = models.TextField(blank=True)
    distance = models.PositiveSmallIntegerField(null=True, blank=True)
    sent_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review = models.CharField(max_length=20, blank=True)  # a `Review` of turntide.lists.feedback

    class Meta:
        permissions = [("review_feedback", "Can mark members' feedback reviewed")]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "entry_type", "entry_value", "verdict"],
                name="feedback_once_per_member_entry_verdict",
            ),
        ]
        indexes = [
            # Serves the review list: feedback not yet reviewed, grouped by entry.
            models.Index(fields=["reviewed_at", "entry_type", "entry_value"], name="fb_review_idx"),
            # Serves a member's own feedback, newest first (GET /api/v1/lists/feedback).
            models.Index(fields=["organisation", "-updated_at"], name="fb_member_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.verdict} {self.entry_type}"
