"""The public report form: every line checked, every problem named by its line number."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from turntide.reports.actions import Checked, check_urls
from turntide.reports.models import HotlineGuidance, Report

DESCRIPTION_MAX = 2000

# turntide.core.urls explains an invalid address in English; these say the same in the
# reporter's language. An unknown reason is shown as it is.
_REASONS = (
    (
        re.compile(r'"(?P<scheme>.*):" is not a web address'),
        _(
            "“%(scheme)s:” is not a web address: only addresses starting with http:// or "
            "https:// can be reported"
        ),
    ),
    (
        re.compile(r"longer than (?P<limit>\d+) characters"),
        _("the address is longer than %(limit)s characters"),
    ),
    (re.compile(r"no host name"), _("the address has no host name (the part after http://)")),
    (
        re.compile(r"in square brackets is not"),
        _("the part in square brackets is not a valid IPv6 address"),
    ),
    (
        re.compile(r"cannot contain square brackets"),
        _(
            "the host name (the part after http://) cannot contain square brackets, except "
            "around a whole IPv6 address such as http://[2001:db8::1]/"
        ),
    ),
    (
        re.compile(r'host name .* cannot contain "(?P<character>.)"'),
        _("the host name (the part after http://) cannot contain “%(character)s”"),
    ),
)


def explain(reason: str) -> str:
    """The reporter-language wording of a reason given by `turntide.core.urls`."""
    for pattern, message in _REASONS:
        if match := pattern.search(reason):
            return str(message) % match.groupdict()
    return reason


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
        errors = [
            (line_of[p.position - 1], p.submitted, explain(p.reason)) for p in checked.problems
        ]
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
