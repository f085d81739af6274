from __future__ import annotations

import segno
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django_otp import devices_for_user

from turntide.accounts.access import staff_required
from turntide.accounts.actions import do_confirm_second_factor, pending_totp_device
from turntide.accounts.forms import ThrottledLoginForm, TokenForm


class StaffLoginView(LoginView):
    form_class = ThrottledLoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app on first login, then ask for its code on every login."""
    confirmed = list(devices_for_user(request.user, confirmed=True))
    device = confirmed[0] if confirmed else pending_totp_device(request.user)  # type: ignore[arg-type]
    form = TokenForm(request.POST or None)
    if form.is_valid():
        if do_confirm_second_factor(request, device, form.cleaned_data["token"]):
            return redirect("accounts:home")
        form.add_error("token", "That code is not right. Check your phone's clock and try again.")
    context = {"form": form, "enrolling": not confirmed}
    if not confirmed:
        context["qr_data_uri"] = segno.make(device.config_url, error="m").svg_data_uri(scale=5)
        context["secret"] = device.bin_key.hex()
    return render(request, "accounts/two_factor.html", context)


@staff_required()
def home(request: HttpRequest) -> HttpResponse:
    """Send each role to where its work is."""
    user = request.user
    if user.has_perm("accounts.work_queue"):
        return redirect("cases:queue")
    if user.has_perm("accounts.view_statistics"):
        return redirect("insights:dashboard")
    if user.is_staff:
        return redirect("admin:index")
    if hasattr(user, "membership"):
        return redirect("members:overview")
    if user.has_perm("accounts.download_research_extract"):
        return redirect("insights:research")
    return render(request, "accounts/no_role.html")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "csrf_failure.html", status=403)


__all__ = ["StaffLoginView", "csrf_failure", "home", "two_factor"]
