from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from turntide.accounts.admin_site import require_second_factor_for_admin
from turntide.api.api import api

require_second_factor_for_admin(admin.site)

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="reports:public_form"), name="root"),
    path("report/", include("turntide.reports.urls")),
    path("cases/", include("turntide.cases.urls")),
    path("insights/", include("turntide.insights.urls")),
    path("accounts/", include("turntide.accounts.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
