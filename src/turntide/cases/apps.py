from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "turntide.cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from turntide.cases import receivers  # noqa: F401  (joins reported URLs to cases)
