"""Classification schemes in the admin: an administrator adds a national scheme without code.

Terms are entered with the scheme; mapping rules appear once it is saved, so that each rule
chooses among the scheme's own terms. The default scheme cannot be deleted, and no scheme's
code changes once saved (referrals carry it).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db.models import ForeignKey, TextField
from django.forms import ModelChoiceField, Textarea
from django.http import HttpRequest

from turntide.accounts.admin_site import LabelledInlineFormSet
from turntide.cases.models import ClassificationScheme, SchemeTerm, TermMapping


class SchemeTermInline(admin.TabularInline[SchemeTerm, ClassificationScheme]):
    model = SchemeTerm
    formset = LabelledInlineFormSet
    fields = ["dimension", "order", "code", "label", "definition"]
    # A definition box of three lines, so that a row of the table fits a laptop's screen.
    formfield_overrides = {TextField: {"widget": Textarea(attrs={"rows": 3, "cols": 40})}}
    extra = 1


class TermMappingInline(admin.TabularInline[TermMapping, ClassificationScheme]):
    model = TermMapping
    formset = LabelledInlineFormSet
    fields = ["dimension", "order", "when", "term"]
    extra = 1

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        if db_field.name == "term":
            match = request.resolver_match
            object_id = match.kwargs.get("object_id") if match else None
            kwargs["queryset"] = (
                SchemeTerm.objects.filter(scheme__pk=unquote(object_id))
                if object_id
                else SchemeTerm.objects.none()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(ClassificationScheme)
class ClassificationSchemeAdmin(admin.ModelAdmin[ClassificationScheme]):
    list_display = ["name", "code", "is_default"]
    fields = ["code", "name", "description", "is_default"]

    def get_readonly_fields(
        self, request: HttpRequest, obj: ClassificationScheme | None = None
    ) -> list[str]:
        return ["code", "is_default"] if obj else ["is_default"]

    def get_inlines(
        self, request: HttpRequest, obj: ClassificationScheme | None
    ) -> list[type[admin.options.InlineModelAdmin[Any, Any]]]:
        return [SchemeTermInline, TermMappingInline] if obj else [SchemeTermInline]

    def has_delete_permission(
        self, request: HttpRequest, obj: ClassificationScheme | None = None
    ) -> bool:
        if obj is not None and obj.is_default:
            return False
        return super().has_delete_permission(request, obj)
