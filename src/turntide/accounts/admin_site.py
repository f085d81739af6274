"""The admin shares the staff login, so it gets the same second-factor rule; and what every
app's admin shares: labelled inline rows, Turntide's name."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import PermissionDenied
from django.forms import BaseForm
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from turntide.access import second_factor_pending


def require_second_factor_for_admin(site: AdminSite) -> None:
    """Route the admin's login through the staff login and refuse roles without admin rights."""
    original_has_permission = site.has_permission

    def has_permission(request: HttpRequest) -> bool:
        return original_has_permission(request) and not second_factor_pending(request)

    def login(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect(reverse("accounts:login") + "?next=" + reverse("admin:index"))
        if second_factor_pending(request):
            return redirect("accounts:two_factor")
        raise PermissionDenied

    site.has_permission = has_permission  # type: ignore[method-assign]
    site.login = login  # type: ignore[method-assign]
    # Lazy, so that each page names it in its reader's language.
    site.site_header = site.site_title = format_lazy(
        _("{hotline} administration"), hotline=settings.OTP_TOTP_ISSUER
    )
    # "View site" leads to the staff pages, not to the public report form.
    site.site_url = cast(str, reverse_lazy("accounts:home"))


class LabelledInlineFormSet(BaseInlineFormSet[Any, Any, Any]):
    """Rows of a tabular inline whose fields carry their own names.

    Django's tabular inline heads each column once and labels no field, so a screen reader
    announces each input as unlabelled (WCAG 1.3.1, 4.1.2)."""

    def add_fields(self, form: BaseForm, index: int | None) -> None:
        super().add_fields(form, index)
        for field in form.fields.values():
            widget = field.widget
            if isinstance(widget, RelatedFieldWidgetWrapper):
                widget = widget.widget  # the one drawn
            if not widget.is_hidden:
                widget.attrs.setdefault("aria-label", str(field.label))
