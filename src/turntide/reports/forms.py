"""The public report form: every line checked, every problem named by its line number."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from turntide.reports.actions import Checked, URLProblem, check_urls
from turntide.reports.models import HotlineGuidance, Report

DESCRIPTION_MAX = 2000

# turntide.core.urls names each refusal by a stable code; these say it in the reporter's
# language. An unknown code is shown in English, as the core wrote it.
_REASONS = {
    "scheme": _(
        "“%(scheme)s:” is not a web address: only addresses starting with http:// or "
        "https:// can be reported"
    ),
    "too-long": _("the address is longer than %(limit)s characters"),
    "no-host": _("the address has no host name (the part after http://)"),
    "bad-ipv6": _("the part in square brackets is not a valid IPv6 address"),
    "brackets": _(
        "the host name (the part after http://) cannot contain square brackets, except "
        "around a whole IPv6 address such as http://[2001:db8::1]/"
    ),
    "host-character": _("the host name (the part after http://) cannot contain “%(character)s”"),
    "not-browsable": _(
        "this is not a web address a browser could open: the host name (the part after "
        "http://) has a space or a character that browsers refuse"
    ),
    "one-label": _(
        "“%(host)s” is not a complete web address: please copy the whole address from your "
        "browser's address bar"
    ),
    "localhost": _("“%(host)s” is the name of your own computer, not an address on the internet"),
    "special-address": _(
        "%(address)s belongs to a private, local or reserved network, not to the public "
        "internet, so we cannot look at it"
    ),
    "reserved-name": _("“%(host)s” is a name reserved for examples, not a real web address"),
    "unknown-suffix": _(
        "no web address on the internet ends in “.%(suffix)s”: please check the address"
    ),
}


def explain(problem: URLProblem) -> str:
    """The reporter-language wording of a refusal, found by its code."""
    message = _REASONS.get(problem.code)
    return problem.reason if message is None else str(message) % problem.params


def _line_error(line: int, url: str, reason: object) -> forms.ValidationError:
    return forms.ValidationError(
        _("Line %(line)s (%(url)s): %(reason)s"),
        params={"line": line, "url": Truncator(url).chars(60), "reason": reason},
    )


def _out_of_remit(host: str, excluded: list[str]) -> str | None:
    return next((e for e in excluded if host == e or host.endswith("." + e)), None)


class PublicReportForm(forms.Form):
    urls = forms.CharField(
        label=_("Web addresses (one per line)"),
        error_messages={"required": _("Enter at least one web address.")},
        widget=forms.Textarea(
            attrs={"rows": 5, "spellcheck": "false", "autocapitalize": "off", "dir": "ltr"}
        ),
    )
    immediate_danger = forms.BooleanField(
        label=_("A child may be in immediate danger"),
        help_text=_("We look at these reports first. Please also call the police now."),
        required=False,
    )
    content_type = forms.ChoiceField(
        label=_("What did you see? (optional)"),
        choices=Report.ContentType.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    found_where = forms.ChoiceField(
        label=_("Where did you find it?"),
        choices=[("", _("Choose one (optional)")), *Report.FoundWhere.choices],
        required=False,
    )
    description = forms.CharField(
        label=_("Anything else we should know (optional)"),
        help_text=_(
            "Plain text, at most 2,000 characters. Please do not describe the images in "
            "detail, and do not include your name."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=DESCRIPTION_MAX,
        required=False,
    )
    email = forms.EmailField(
        label=_("Your email address (optional)"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # A honeypot: hidden from people by the style sheet, filled in by spam robots.
    comment = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: Any, guidance: HotlineGuidance, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.guidance = guidance
        self.fields["urls"].help_text = ngettext_lazy(
            "Copy each address from your browser's address bar. At most %(limit)s address.",
            "Copy each address from your browser's address bar. At most %(limit)s addresses.",
            "limit",
        ) % {"limit": guidance.max_urls_per_report}
        self.fields["email"].help_text = ngettext_lazy(
            "Only to confirm your report and tell you when we have finished. It is kept "
            "apart from your report and deleted once we have written, or after %(days)s day.",
            "Only to confirm your report and tell you when we have finished. It is kept "
            "apart from your report and deleted once we have written, or after %(days)s days.",
            "days",
        ) % {"days": guidance.feedback_retention_days}

    def clean_urls(self) -> Checked:
        """Check every non-blank line, numbering lines as the reporter sees them."""
        numbered = [
            (number, line.strip())
            for number, line in enumerate(self.cleaned_data["urls"].splitlines(), start=1)
            if line.strip()
        ]
        limit = self.guidance.max_urls_per_report
        if len(numbered) > limit:
            raise forms.ValidationError(
                ngettext_lazy(
                    "Enter at most %(limit)s web address in one report; this one has "
                    "%(count)s. Please send the rest in another report.",
                    "Enter at most %(limit)s web addresses in one report; this one has "
                    "%(count)s. Please send the rest in another report.",
                    "limit",
                ),
                params={"limit": limit, "count": len(numbered)},
            )
        checked = check_urls([line for _number, line in numbered])
        line_of = [number for number, _line in numbered]
        errors = [(line_of[p.position - 1], p.submitted, explain(p)) for p in checked.problems]
        excluded = self.guidance.excluded_hosts()
        for item in checked.valid:
            if remit := _out_of_remit(urlsplit(item.canonical).hostname or "", excluded):
                reason = _(
                    "thank you, but addresses on %(host)s are outside what we deal with, "
                    "so please remove this line"
                ) % {"host": remit}
                errors.append((line_of[item.position - 1], item.submitted.url, reason))
        if errors:
            errors.sort(key=lambda error: error[0])
            raise forms.ValidationError([_line_error(*error) for error in errors])
        return checked

    def clean_comment(self) -> str:
        if self.cleaned_data["comment"]:
            raise forms.ValidationError(_("Leave this field empty."))
        return ""
