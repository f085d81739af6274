from django.contrib import admin

from turntide.members.models import APIToken, Membership, Organisation


class APITokenInline(admin.TabularInline[APIToken, Organisation]):
    model = APIToken
    fields = (
        "prefix",
        "services",
        "label",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # tokens are issued with `turntide members token`, shown once


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ["name", "code", "kind", "status", "agreement_end"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "code"]
    # The list key changes through `turntide members key`, which audits it.
    readonly_fields = ["code", "created_at", "list_key"]
    inlines = [APITokenInline]


admin.site.register(Membership)
