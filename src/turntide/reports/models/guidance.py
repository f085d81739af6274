"""What the public form tells reporters, and the one thing it keeps about them.

The guidance is content the hotline edits in the admin; with nothing saved, the form shows
translated defaults, so a fresh install is usable in every shipped language. A reporter's
email address lives in `FeedbackContact`, apart from the report, and only until it is used.
"""

from __future__ import annotations

import contextlib
import hashlib
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from turntide.core.logo import safe_logo
from turntide.core.urls import InvalidURL, canonicalize
from turntide.reports.emergency import emergency_number
from turntide.reports.models.report import Report


def _canonical_host(entry: str) -> str:
    entry = entry.strip()
    if not entry:
        return ""
    url = canonicalize(entry if "://" in entry else f"http://{entry}")
    return urlsplit(url).hostname or ""


class HotlineGuidance(models.Model):
    """The hotline's settings for the public pages: one row, edited in the admin.

    The public pages carry the hotline's own name and logo, not the software's. The logo is
    kept as the PNG that `turntide.core.logo` made of the upload, in the database so that
    every web process serves the same one, from the site's own origin.
    """

    hotline_name = models.CharField(
        _("hotline name"),
        max_length=100,
        blank=True,
        help_text=_("Shown at the top of every public page. Blank: TURNTIDE_HOTLINE_NAME."),
    )
    logo = models.BinaryField(_("logo"), blank=True, default=b"", editable=False)
    logo_digest = models.CharField(max_length=16, blank=True, editable=False)
    police_phone = models.CharField(
        _("police emergency number"),
        max_length=30,
        blank=True,
        help_text=_(
            "Shown first, for a child who may be in immediate danger. Blank: the emergency "
            "number of the hotline's country (TURNTIDE_HOME_COUNTRY)."
        ),
    )
    police_url = models.URLField(
        _("police reporting page"),
        blank=True,
        help_text=_("Optional: where to report to the police online."),
    )
    out_of_remit_hosts = models.TextField(
        _("hosts outside our remit"),
        blank=True,
        help_text=_(
            "One host name per line, such as the hotline's own website; reports of "
            "addresses on these hosts and their subdomains are politely refused."
        ),
    )
    max_urls_per_report = models.PositiveSmallIntegerField(
        _("most web addresses in one report"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
    )
    feedback_retention_days = models.PositiveSmallIntegerField(
        _("days to keep a reporter's email address"),
        default=90,
        validators=[MinValueValidator(1)],
        help_text=_("Deleted once feedback is sent, or after this many days at the latest."),
    )

    class Meta:
        verbose_name = _("hotline guidance")
        verbose_name_plural = _("hotline guidance")

    def __str__(self) -> str:
        return str(_("Guidance for the public report form"))

    def save(self, *args: object, **kwargs: object) -> None:
        self.pk = 1  # a singleton: saving always writes the one row
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @classmethod
    def current(cls) -> HotlineGuidance:
        """The saved guidance, or the shipped defaults when the hotline has saved none."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    @property
    def name(self) -> str:
        """The hotline's name for the public pages."""
        return self.hotline_name or settings.TURNTIDE_HOTLINE_NAME or str(_("Reporting hotline"))

    @property
    def police_number(self) -> str:
        """The stored number, else the emergency number of the hotline's country."""
        return self.police_phone or emergency_number(settings.TURNTIDE_HOME_COUNTRY)

    def set_logo(self, upload: bytes) -> None:
        """Keep a safe re-encoding of `upload`; raises `InvalidLogo` for anything else."""
        self.logo = safe_logo(upload)
        self.logo_digest = hashlib.sha256(self.logo).hexdigest()[:16]

    def remove_logo(self) -> None:
        self.logo, self.logo_digest = b"", ""

    def clean(self) -> None:
        for entry in self.out_of_remit_hosts.splitlines():
            try:
                _canonical_host(entry)
            except InvalidURL as error:
                problem = ValidationError(
                    _("%(entry)s: %(reason)s"),
                    params={"entry": entry.strip(), "reason": error.reason},
                )
                raise ValidationError({"out_of_remit_hosts": problem}) from None

    def excluded_hosts(self) -> list[str]:
        """The out-of-remit hosts as canonical URLs spell them (lower case, punycode)."""
        hosts = []
        for entry in self.out_of_remit_hosts.splitlines():
            with contextlib.suppress(InvalidURL):
                hosts.append(_canonical_host(entry))
        return [host for host in hosts if host]

    def text(self) -> GuidanceText:
        """The hotline's wording in the active language; blank parts mean the defaults."""
        language = get_language()
        return self.texts.filter(language=language).first() or GuidanceText(language=language)


class GuidanceText(models.Model):
    """The hotline's own wording of the guidance in one language."""

    guidance = models.ForeignKey(HotlineGuidance, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    intro = models.TextField(
        _("introduction"), blank=True, help_text=_("Leave blank to show the default.")
    )
    points = models.TextField(
        _("guidance points"),
        blank=True,
        help_text=_("One point per line. Leave blank to show the default points."),
    )

    class Meta:
        verbose_name = _("guidance text")
        constraints = [
            models.UniqueConstraint(
                fields=["guidance", "language"], name="guidance_text_language_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.language

    def point_list(self) -> list[str]:
        return [line.strip() for line in self.points.splitlines() if line.strip()]


class OtherAgency(models.Model):
    """Where to report harmful content that is not child sexual abuse imagery."""

    guidance = models.ForeignKey(
        HotlineGuidance, on_delete=models.CASCADE, related_name="other_agencies"
    )
    topic = models.CharField(_("what to report there"), max_length=200)
    name = models.CharField(_("organisation"), max_length=200)
    url = models.URLField(_("web address"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("other agency")
        verbose_name_plural = _("other agencies")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class FeedbackContact(models.Model):
    """A reporter's email address for the confirmation and outcome feedback.

    Kept apart from the report, with no reverse accessor on Report, so nothing that shows a
    report to analysts can reach it; deleted once feedback is sent or at `delete_after`.
    """

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField()
    language = models.CharField(max_length=10)
    delete_after = models.DateTimeField()

    class Meta:
        indexes = [
            # Serves the periodic deletion of expired addresses.
            models.Index(fields=["delete_after"], name="feedback_delete_after_idx"),
        ]

    def __str__(self) -> str:
        return f"feedback contact #{self.pk}"  # never the address itself

    def send(self, kind: str) -> None:
        """Email the reporter in the language they reported in; `kind` names the templates.

        The message names the report's reference only, never the reported addresses.
        """
        context = {"report": self.report, "guidance": HotlineGuidance.current()}
        with translation.override(self.language):
            subject = render_to_string(f"reports/email/{kind}_subject.txt", context)
            body = render_to_string(f"reports/email/{kind}.txt", context)
        EmailMessage(" ".join(subject.split()), body, to=[self.email]).send()
