from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from turntide.core.codes import new_code

# What an organisation may be licensed for, and what a token may be scoped to.
SERVICES = ("url-list", "url-list-plain", "hash-list", "keywords", "match", "report")


def new_organisation_code() -> str:
    return new_code("ORG")


class Organisation(models.Model):
    """A member company or a trusted reporter: one model serves both."""

    class Kind(models.TextChoices):
        ISP = "isp", _("Internet service provider")
        MOBILE = "mobile", _("Mobile operator")
        SEARCH = "search", _("Search engine")
        FILTERING = "filtering", _("Filtering or security vendor")
        PLATFORM = "platform", _("Platform")
        ADULT_SITE = "adult_site", _("Adult site")
        PARTNER_HOTLINE = "partner_hotline", _("Partner hotline")
        PROACTIVE = "proactive", _("The hotline's own proactive search")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        ENDED = "ended", _("Agreement ended")

    code = models.CharField(max_length=20, unique=True, default=new_organisation_code)
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    services = models.JSONField(default=list, help_text="Licensed services.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    agreement_start = models.DateField(null=True, blank=True)
    agreement_end = models.DateField(null=True, blank=True)
    contact_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person who acts for an organisation in the member portal."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"


class APIToken(models.Model):
    """A bearer token, stored only as an HMAC digest and found by its readable prefix."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="tokens")
    prefix = models.CharField(max_length=16, unique=True)
    digest = models.CharField(max_length=64)
    services = models.JSONField(default=list)
    label = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.organisation})"

    @property
    def usable(self) -> bool:
        return (
            self.revoked_at is None
            and self.expires_at > timezone.now()
            and self.organisation.status == Organisation.Status.ACTIVE
        )


class ListVersion(models.Model):
    """The current version of a distributed list; every change bumps it by one."""

    name = models.CharField(max_length=20, unique=True)
    version = models.PositiveIntegerField(default=0)
    published_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class URLListEntry(models.Model):
    """One hashed lookup expression on the URL list, from the version it entered to the one
    that withdrew it. Deltas since V: entries added after V and still present, and entries
    present at V and withdrawn since."""

    sha256 = models.CharField(max_length=64)
    expression = models.TextField()
    case_code = models.CharField(max_length=20)
    added_version = models.PositiveIntegerField()
    removed_version = models.PositiveIntegerField(null=True, blank=True)
    added_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # An expression is on the list at most once at a time.
            models.UniqueConstraint(
                fields=["sha256"],
                condition=models.Q(removed_version__isnull=True),
                name="urllist_entry_present_once",
            ),
        ]
        indexes = [
            # Serves deltas: what was added or removed after a version.
            models.Index(fields=["added_version"], name="urllist_added_idx"),
            models.Index(fields=["removed_version"], name="urllist_removed_idx"),
        ]

    def __str__(self) -> str:
        return self.expression
