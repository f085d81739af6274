from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TakedownConfig(AppConfig):
    name = "turntide.takedown"
    verbose_name = _("Removal")

    def ready(self) -> None:
        from turntide.takedown import receivers  # noqa: F401  (starts takedowns when actioned)
