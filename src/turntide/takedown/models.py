"""Removal of actioned content: directories, hosting traces, notices, re-checks.

One open `Takedown` per actioned case holds the route and the escalation clock; every trace,
notice and availability check is its own row, so the history stays whole and a restarted
worker finds its pending checks by time.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from turntide.cases.models import URLCase
from turntide.core.codes import new_code


def new_notice_code() -> str:
    return new_code("N")


def new_mail_code() -> str:
    return new_code("M")


class Provider(models.Model):
    """A network by autonomous system number, with where its abuse notices go."""

    asn = models.PositiveBigIntegerField(_("AS number"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    abuse_email = models.EmailField(
        _("abuse contact"), blank=True, help_text=_("Typed or confirmed by staff: used.")
    )
    # Found automatically (RDAP): used only once an analyst confirms it as `abuse_email`.
    suggested_email = models.EmailField(_("found automatically, unconfirmed"), blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    # The last bounce of a notice to `abuse_email` (read from the mailbox): the address fails.
    bounced_at = models.DateTimeField(_("last bounce"), null=True, blank=True)
    upstream_email = models.EmailField(
        _("upstream or registrar contact"),
        blank=True,
        help_text=_("Escalation goes here when the provider does not act."),
    )

    class Meta:
        ordering = ["asn"]
        verbose_name = _("hosting provider")
        verbose_name_plural = _("hosting providers")

    def __str__(self) -> str:
        return f"AS{self.asn} {self.name}"


class PartnerHotline(models.Model):
    """A hotline of another country (INHOPE-style) that takes referrals for content hosted there."""

    country = models.CharField(_("country"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("referral address"))
    language = models.CharField(_("language"), max_length=10, default="en")
    scheme = models.SlugField(
        _("classification scheme"),
        max_length=20,
        default="inhope",
        help_text=_("Code of the scheme whose terms the referral carries."),
    )

    class Meta:
        ordering = ["country"]
        verbose_name = _("partner hotline")
        verbose_name_plural = _("partner hotlines")

    def __str__(self) -> str:
        return f"{self.country} {self.name}"


class HostingTrace(models.Model):
    """Where a case's host resolved and who announced the address, at one moment."""

    class Reason(models.TextChoices):
        ACTIONED = "actioned", _("Case actioned")
        REDIRECT = "redirect", _("Redirected to another host")
        RETRACE = "retrace", _("Traced again")

    case = models.ForeignKey(URLCase, on_delete=models.CASCADE, related_name="hosting_traces")
    reason = models.CharField(max_length=20, choices=Reason.choices, default=Reason.ACTIONED)
    host = models.CharField(max_length=253)
    cname_chain = models.JSONField(default=list)
    addresses = models.JSONField(default=list)
    asn = models.PositiveBigIntegerField(null=True, blank=True)
    as_name = models.CharField(max_length=200, blank=True)
    country = models.CharField(max_length=2, blank=True)
    cdn = models.CharField(max_length=50, blank=True)
    source = models.CharField(max_length=200, blank=True)
    traced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["traced_at", "pk"]

    def __str__(self) -> str:
        return f"{self.host} AS{self.asn} {self.country}"


class Takedown(models.Model):
    """The removal effort for one actioned case: its route and its escalation clock."""

    class Route(models.TextChoices):
        HOME = "home", _("Hosted at home: notice to the host")
        PARTNER = "partner", _("Referral to a partner hotline")
        ABROAD = "abroad", _("No partner: notice to the host in English")
        CDN = "cdn", _("Behind a CDN: notice to the CDN for the origin")

    # A case that reappears after removal and is actioned again gets a new takedown.
    case = models.ForeignKey(URLCase, on_delete=models.CASCADE, related_name="takedowns")
    route = models.CharField(max_length=10, choices=Route.choices)
    trace = models.ForeignKey(HostingTrace, on_delete=models.PROTECT, related_name="+")
    partner = models.ForeignKey(PartnerHotline, on_delete=models.PROTECT, null=True, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    # 0: first notice only; then 1 re-notice, 2 upstream or registrar, 3 police.
    escalation_step = models.PositiveSmallIntegerField(default=0)
    escalate_at = models.DateTimeField(null=True, blank=True)
    # The first offline check of the current unbroken run of offline checks.
    offline_since = models.DateTimeField(null=True, blank=True)
    offline_checks = models.PositiveSmallIntegerField(default=0)
    # Hosting is traced again from then (every TURNTIDE_RETRACE_HOURS); when its network,
    # country or CDN changed, the takedown is re-routed and flagged with the time.
    retrace_at = models.DateTimeField(null=True, blank=True)
    hosting_moved_at = models.DateTimeField(null=True, blank=True)
    # "Police first": until then only the police hear of it; the host's notices wait.
    police_hold_until = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # One removal effort at a time; its index serves "the open takedown of a case".
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(closed_at__isnull=True),
                name="takedown_one_open_per_case",
            ),
        ]
        indexes = [
            # Serves the escalation job: open takedowns whose next step is due.
            models.Index(fields=["closed_at", "escalate_at"], name="takedown_escalation_idx"),
        ]
        permissions = [
            ("work_takedowns", "See overdue removals and takedown history; record replies"),
        ]

    def __str__(self) -> str:
        return f"{self.case.code} ({self.route})"


class Mail(models.Model):
    """One email in the outbox: the notices to one address, rendered, waiting to leave.

    Written in the transaction that decided to write; the worker sends it after commit.
    Its Message-ID is fixed here, so a resend after a crash is the same message. Once sent,
    its text is dropped and only the fingerprint stays, as for every notice.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Sending failed")

    code = models.CharField(max_length=20, unique=True, default=new_mail_code)
    recipient = models.EmailField()
    recipient_type = models.CharField(max_length=10)
    language = models.CharField(max_length=10, default="en")
    subject = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    # [{"filename", "content_type", "content"}]: the X-ARF report of each URL.
    attachments = models.JSONField(default=list, blank=True)
    message_id = models.CharField(max_length=300, unique=True)
    content_sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            # Serves the sender: mails waiting, or claimed by a sender that died, oldest first.
            models.Index(fields=["status", "claimed_at"], name="mail_outbox_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.recipient} {self.status}"


class Notice(models.Model):
    """One notice or referral of one case: to whom, when, and a fingerprint of what it said.

    It waits in the outbox (`queued`) until its hold time has passed, then joins the one
    mail to its address that groups every URL waiting for that address.
    """

    class Recipient(models.TextChoices):
        HOST = "host", _("Hosting provider")
        PARTNER = "partner", _("Partner hotline")
        CDN = "cdn", _("Content delivery network")
        UPSTREAM = "upstream", _("Upstream provider or registrar")
        POLICE = "police", _("Police")

    class Status(models.TextChoices):
        QUEUED = "queued", _("In the outbox")
        CANCELLED = "cancelled", _("Not sent: the hosting moved")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Sending failed")
        NO_CONTACT = "no_contact", _("No contact known")

    code = models.CharField(max_length=20, unique=True, default=new_notice_code)
    takedown = models.ForeignKey(Takedown, on_delete=models.CASCADE, related_name="notices")
    recipient_type = models.CharField(max_length=10, choices=Recipient.choices)
    escalation_step = models.PositiveSmallIntegerField(default=0)
    recipient = models.EmailField(blank=True)
    language = models.CharField(max_length=10, default="en")
    subject = models.CharField(max_length=300, blank=True)
    message_id = models.CharField(max_length=300, blank=True)
    content_sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices)
    detail = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Grouped into a mail once this has passed (the hold time of its step).
    hold_until = models.DateTimeField(null=True, blank=True)
    mail = models.ForeignKey(
        Mail, on_delete=models.PROTECT, null=True, blank=True, related_name="notices"
    )
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            # Serves composing: queued notices not yet in a mail whose hold has passed.
            models.Index(fields=["status", "hold_until"], name="notice_queued_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.recipient_type} {self.status}"


class NoticeResponse(models.Model):
    """A reply to a notice, or its bounce, as a staff member recorded it."""

    class Kind(models.TextChoices):
        REPLY = "reply", _("Reply")
        BOUNCE = "bounce", _("Bounce")

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="responses")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    received_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True, max_length=2000)
    # Null: read from the mailbox by the worker, whose message's own Message-ID is kept.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    message_id = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["received_at", "pk"]
        constraints = [
            # A message read twice from the mailbox is recorded once.
            models.UniqueConstraint(
                fields=["notice", "message_id"],
                condition=~models.Q(message_id=""),
                name="response_once_per_message",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.notice.code} {self.kind}"


class Recheck(models.Model):
    """One scheduled availability check; a row, so no restart of the worker loses it."""

    takedown = models.ForeignKey(Takedown, on_delete=models.CASCADE, related_name="rechecks")
    due_at = models.DateTimeField()
    # Set by the worker that runs it; a claim older than the lease is taken over.
    claimed_at = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=10, blank=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    location = models.TextField(blank=True)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        indexes = [
            # Serves the re-check job: pending checks by due time.
            models.Index(fields=["checked_at", "due_at"], name="recheck_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.takedown.case.code} at {self.due_at:%Y-%m-%d %H:%M}"


class QuietDay(models.Model):
    """A day on which no notice leaves (a holiday, say); they wait for the next day."""

    day = models.DateField(_("day"), unique=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["day"]
        verbose_name = _("quiet day")
        verbose_name_plural = _("quiet days")

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.reason}"


class NoticeTemplate(models.Model):
    """A notice's text as staff wrote it: for one recipient type and language, for every
    contact or for one provider's. Django template language, with the context of the
    built-in templates under templates/takedown/notices/ (which serve where none is set)."""

    recipient_type = models.CharField(
        _("recipient"), max_length=10, choices=Notice.Recipient.choices
    )
    language = models.CharField(_("language"), max_length=10)
    provider = models.ForeignKey(
        Provider,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("hosting provider"),
        help_text=_("Empty: for every contact without one of its own."),
    )
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))

    class Meta:
        verbose_name = _("notice template")
        verbose_name_plural = _("notice templates")
        constraints = [
            # One text per recipient, language and contact (or for all); their indexes serve
            # the lookup when a notice is rendered.
            models.UniqueConstraint(
                fields=["recipient_type", "language", "provider"],
                condition=models.Q(provider__isnull=False),
                name="notice_template_one_per_contact",
            ),
            models.UniqueConstraint(
                fields=["recipient_type", "language"],
                condition=models.Q(provider__isnull=True),
                name="notice_template_one_general",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_type} {self.language} {self.provider or 'general'}"


class MailboxCursor(models.Model):
    """How far the worker has read a mailbox folder: the last UID, valid for its UIDVALIDITY."""

    mailbox = models.CharField(max_length=300, unique=True)
    uidvalidity = models.PositiveBigIntegerField(default=0)
    last_uid = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.mailbox} {self.uidvalidity}:{self.last_uid}"
