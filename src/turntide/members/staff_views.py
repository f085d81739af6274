"""Staff pages of the lists: what members receive, the keyword list, whole-site entries."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from turntide.access import signed_in_user, staff_required
from turntide.cases import access
from turntide.core.languages import InvalidLanguageTag, language_tag
from turntide.lists.models import ListVersion
from turntide.members.dedicated import (
    DedicatedSiteError,
    case_host,
    do_mark_dedicated,
    do_withdraw_dedicated,
)
from turntide.members.keywords import KeywordError, do_add_keyword, do_withdraw_keyword
from turntide.members.models import DedicatedSite, Keyword, URLListEntry

PAGE_SIZE = 500


class KeywordForm(forms.Form):
    term = forms.CharField(label=gettext_lazy("Term"), max_length=200)
    language = forms.CharField(
        label=gettext_lazy("Language"),
        max_length=10,
        initial="en",
        help_text=gettext_lazy("A language tag such as en, fr, pt-BR or zh-Hant."),
    )

    def clean_language(self) -> str:
        """Refuse a bad tag beside its own field; the action checks it again for every caller."""
        try:
            return language_tag(self.cleaned_data["language"])
        except InvalidLanguageTag as error:
            raise forms.ValidationError(str(error)) from None


class DedicatedSiteForm(forms.Form):
    host = forms.CharField(
        label=gettext_lazy("Site"),
        max_length=253,
        help_text=gettext_lazy("The case's host or a parent domain of it."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Why the whole site is dedicated to abuse"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )


@staff_required("work_queue")
def overview(request: HttpRequest) -> HttpResponse:
    present = URLListEntry.objects.filter(removed_version__isnull=True)
    counts = present.aggregate(
        urls=Count("pk", filter=Q(kind=URLListEntry.Kind.URL)),
        domains=Count("pk", filter=Q(kind=URLListEntry.Kind.DOMAIN)),
    )
    context = {
        "versions": {v.name: v for v in ListVersion.objects.all()},
        "counts": counts,
        "keywords": Keyword.objects.filter(removed_version__isnull=True).count(),
    }
    return render(request, "lists/overview.html", context)


@staff_required("members.manage_keywords")
def keywords(request: HttpRequest) -> HttpResponse:
    form = KeywordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            keyword = do_add_keyword(
                signed_in_user(request), form.cleaned_data["term"], form.cleaned_data["language"]
            )
        except KeywordError as error:
            form.add_error("term", str(error))
        else:
            messages.success(request, _("“%(term)s” added.") % {"term": keyword.term})
            return redirect("lists:keywords")
    present = Keyword.objects.filter(removed_version__isnull=True).select_related("added_by")
    context = {"form": form, "keywords": present.order_by("language", "term")[:PAGE_SIZE]}
    return render(request, "lists/keywords.html", context, status=400 if form.errors else 200)


@require_POST
@staff_required("members.manage_keywords")
def withdraw_keyword(request: HttpRequest, keyword_id: int) -> HttpResponse:
    try:
        keyword = do_withdraw_keyword(signed_in_user(request), keyword_id)
    except KeywordError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("“%(term)s” withdrawn.") % {"term": keyword.term})
    return redirect("lists:keywords")


@staff_required("members.mark_dedicated_site")
def dedicated_sites(request: HttpRequest) -> HttpResponse:
    sites = DedicatedSite.objects.filter(withdrawn_at__isnull=True).select_related("marked_by")
    return render(request, "lists/sites.html", {"sites": sites.order_by("host")[:PAGE_SIZE]})


@staff_required("members.mark_dedicated_site", hide=True)
def mark_dedicated(request: HttpRequest, case_code: str) -> HttpResponse:
    case = access.case_for_staff(case_code)
    form = DedicatedSiteForm(request.POST or None, initial={"host": case_host(case)})
    if request.method == "POST" and form.is_valid():
        try:
            site = do_mark_dedicated(
                signed_in_user(request),
                case,
                form.cleaned_data["host"],
                form.cleaned_data["reason"],
            )
        except DedicatedSiteError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("%(host)s is listed as a whole site.") % {"host": site.host}
            )
            return redirect("lists:sites")
    status = 400 if form.errors else 200
    return render(request, "lists/mark_site.html", {"case": case, "form": form}, status=status)


@require_POST
@staff_required("members.mark_dedicated_site")
def withdraw_dedicated(request: HttpRequest, site_id: int) -> HttpResponse:
    try:
        site = do_withdraw_dedicated(signed_in_user(request), site_id)
    except DedicatedSiteError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(host)s withdrawn.") % {"host": site.host})
    return redirect("lists:sites")
