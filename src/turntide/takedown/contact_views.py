"""The abuse contacts: listed, searchable, editable, with their notices and removal times."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from turntide.access import staff_required
from turntide.takedown.contacts import contacts, notices_to
from turntide.takedown.forms import ContactForm
from turntide.takedown.models import Provider
from turntide.takedown.team_actions import do_edit_contact

WORK = "takedown.work_takedowns"


@staff_required(WORK)
def contact_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:200]
    return render(
        request, "takedown/contacts.html", {"contacts": contacts(search), "search": search}
    )


@require_http_methods(["GET", "POST"])
@staff_required(WORK)
def contact(request: HttpRequest, asn: int) -> HttpResponse:
    provider = get_object_or_404(Provider, asn=asn)
    form = ContactForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            staff = request.user
            assert isinstance(staff, User)
            data = form.cleaned_data
            do_edit_contact(staff, provider, data["email"], data["country"] or provider.country)
            messages.success(request, _("Contact saved."))
            return redirect("takedown:contact", asn)
        messages.error(request, _("Nothing saved: %(errors)s") % {"errors": form.errors.as_text()})
    context = {"provider": provider, "notices": notices_to(provider), "form": form}
    return render(request, "takedown/contact.html", context)
