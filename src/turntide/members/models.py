from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from turntide.core.codes import new_code

# What an organisation may be licensed for, and what a token may be scoped to.
SERVICES = (
    "url-list",
    "url-list-plain",
    "rpz-feed",  # the RPZ zone (sites in clear) at a feed address; see api.lists.rpz_feed
    "hash-list",
    "keywords",
    "match",
    "report",
    "feedback",  # members' word on matches; see api.feedback
)


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

    code = models.CharField(_("code"), max_length=20, unique=True, default=new_organisation_code)
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    services = models.JSONField(_("services"), default=list, help_text=_("Licensed services."))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    agreement_start = models.DateField(_("agreement start"), null=True, blank=True)
    agreement_end = models.DateField(_("agreement end"), null=True, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    created_at = models.DateTimeField(_("created on"), default=timezone.now)
    # Keyed lists: hashes sent to this member are HMAC-SHA256 under this key instead of plain
    # SHA-256, so a leaked copy is useless without the key and names its source.
    list_key = models.CharField(
        _("list key"), max_length=64, blank=True, help_text=_("Empty: plain SHA-256.")
    )
    # The URL list version that the last change of key started: a copy made before it holds
    # hashes under another key, so deltas to it are refused (the member syncs from zero).
    list_key_version = models.PositiveIntegerField(_("key since list version"), default=0)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person who acts for an organisation in the member portal."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, verbose_name=_("person"))
    organisation = models.ForeignKey(
        Organisation, models.CASCADE, verbose_name=_("organisation"), related_name="memberships"
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"


class APIToken(models.Model):
    """A bearer token, stored only as an HMAC digest and found by its readable prefix."""

    organisation = models.ForeignKey(
        Organisation, models.CASCADE, verbose_name=_("organisation"), related_name="tokens"
    )
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    digest = models.CharField(max_length=64)
    services = models.JSONField(_("services"), default=list)
    label = models.CharField(_("label"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created on"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.organisation})"

    @property
    def usable(self) -> bool:
        return (
            self.revoked_at is None
            and self.expires_at > timezone.now()
            and self.organisation.status == Organisation.Status.ACTIVE
        )


class URLListEntry(models.Model):
    """One hashed lookup expression on the URL list, from the version it entered to the one
    that withdrew it. Deltas since V: entries added after V and still present, and entries
    present at V and withdrawn since."""

    class Kind(models.TextChoices):
        URL = "url", _("One URL")
        DOMAIN = "domain", _("Whole domain")

    sha256 = models.CharField(max_length=64)
    expression = models.TextField()
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.URL)
    # The case for a URL entry; the case that showed the site for a whole-domain entry.
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


class DedicatedSite(models.Model):
    """A host a senior analyst judged dedicated to abuse: listed as a whole domain."""

    host = models.CharField(max_length=253)
    case_code = models.CharField(max_length=20, help_text="The case that showed the site.")
    reason = models.TextField(max_length=2000)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    marked_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        permissions = [("mark_dedicated_site", "Can list a whole site as dedicated to abuse")]
        constraints = [
            models.UniqueConstraint(
                fields=["host"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="dedicated_site_marked_once",
            ),
        ]

    def __str__(self) -> str:
        return self.host


class Keyword(models.Model):
    """A search term associated with abuse material, for members' filters; versioned like
    the URL list (present from added_version until removed_version)."""

    term = models.CharField(max_length=200)
    language = models.CharField(max_length=10, help_text="BCP 47 language tag, e.g. en, pt-BR.")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)
    added_version = models.PositiveIntegerField()
    removed_version = models.PositiveIntegerField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        permissions = [("manage_keywords", "Can add and withdraw keywords")]
        constraints = [
            models.UniqueConstraint(
                fields=["term", "language"],
                condition=models.Q(removed_version__isnull=True),
                name="keyword_present_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.term} ({self.language})"
