from django.contrib import admin

from turntide.takedown.models import PartnerHotline, Provider


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin[Provider]):
    list_display = ("asn", "name", "abuse_email", "country", "upstream_email")
    search_fields = ("=asn", "name", "abuse_email")


@admin.register(PartnerHotline)
class PartnerHotlineAdmin(admin.ModelAdmin[PartnerHotline]):
    list_display = ("country", "name", "email", "language", "scheme")
    search_fields = ("country", "name")
