from __future__ import annotations

import base64

import segno
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django_otp import devices_for_user
from django_otp.plugins.otp_totp.models import TOTPDevice

from turntide.access import staff_required
from turntide.accounts.access import open_enrolment_link
from turntide.accounts.actions import do_accept_enrolment, do_confirm_second_factor
from turntide.accounts.forms import ThrottledLoginForm, TokenForm

WRONG_CODE = "That code is not right. Check your phone's clock and try again."


class StaffLoginView(LoginView):
    form_class = ThrottledLoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Ask for the code of the enrolled authenticator. Enrolment happens only through an
    enrolment link: knowing the password must not be enough to claim the second factor."""
    confirmed = list(devices_for_user(request.user, confirmed=True))
    if not confirmed:
        return render(request, "accounts/two_factor.html", {"form": None})
    form = TokenForm(request.POST or None)
    if form.is_valid():
        if do_confirm_second_factor(request, confirmed[0], form.cleaned_data["token"]):
            return redirect("accounts:home")
        form.add_error("token", WRONG_CODE)
    return render(request, "accounts/two_factor.html", {"form": form})


def typed_key(key: bytes) -> str:
    """The key as authenticator apps take it by hand: base32, in groups of four.

    >>> typed_key(bytes(range(20)))
    'AAAQ EAYE AUDA OCAJ BIFQ YDIO B4IB CEQT'
    """
    text = base64.b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@never_cache
def enrol(request: HttpRequest, token: str) -> HttpResponse:
    """The one-time link: set a password and enrol the authenticator waiting for it."""
    link = open_enrolment_link(token)
    device = None
    if link is not None:
        device = TOTPDevice.objects.filter(user=link.user, confirmed=False).first()
    if link is None or device is None:
        return render(request, "accounts/enrol_invalid.html", status=404)
    data = request.POST if request.method == "POST" else None
    password_form = SetPasswordForm(link.user, data)
    code_form = TokenForm(data)
    code_form.fields["token"].widget.attrs.pop("autofocus")  # the password comes first here
    if password_form.is_valid() and code_form.is_valid():
        password = password_form.cleaned_data["new_password1"]
        if do_accept_enrolment(request, link, password, device, code_form.cleaned_data["token"]):
            return redirect("accounts:home")
        code_form.add_error("token", WRONG_CODE)
    context = {
        "link": link,
        "password_form": password_form,
        "code_form": code_form,
        "qr_data_uri": segno.make(device.config_url, error="m").svg_data_uri(scale=5),
        "secret": typed_key(device.bin_key),
    }
    return render(request, "accounts/enrol.html", context)


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


@never_cache
@staff_required()
def keep_alive(request: HttpRequest) -> HttpResponse:
    """The "Stay signed in" button: any request renews an idle session (saved every request)."""
    return HttpResponse(status=204)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "csrf_failure.html", status=403)


__all__ = ["StaffLoginView", "csrf_failure", "enrol", "home", "keep_alive", "two_factor"]
