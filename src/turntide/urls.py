from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from turntide import health
from turntide.accounts.admin_site import require_second_factor_for_admin
from turntide.api.api import api
from turntide.insights import health_views
from turntide.reports import views as report_views

require_second_factor_for_admin(admin.site)

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="reports:public_form"), name="root"),
    # Unprefixed, the form speaks the browser's language (Accept-Language, else the
    # default); /en/report/, /fr/report/... choose one, and the language switch links there.
    path("report/", include("turntide.reports.urls")),
    # Outside the language prefixes: one address per logo, whatever the page's language.
    path("report/logo/<str:digest>.png", report_views.logo, name="hotline_logo"),
    # Before the cases routes, whose <code>/ would otherwise catch "appeals/" and "health/".
    path("cases/appeals/", include("turntide.cases.appeals.urls")),
    path("cases/health/", health_views.queue_health, name="queue_health"),
    path("cases/", include("turntide.cases.urls")),
    path("insights/", include("turntide.insights.urls")),
    path("audit/", include("turntide.audit.urls")),
    path("takedown/", include("turntide.takedown.urls")),
    path("exchange/", include("turntide.exchange.urls")),
    path("members/", include("turntide.members.urls")),
    path("lists/", include("turntide.members.staff_urls")),
    path("accounts/", include("turntide.accounts.urls")),
    # The staff header's language choice posts here; the cookie it sets wins over the browser.
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("healthz", health.liveness, name="liveness"),
    # Browsers ask for /favicon.ico where a response names no icon (a JSON answer, a file).
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("turntide/favicon.svg"))),
    *i18n_patterns(path("report/", include("turntide.reports.urls", namespace="localised"))),
]
