from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HashesConfig(AppConfig):
    name = "turntide.hashes"
    verbose_name = _("Hash list")

    def ready(self) -> None:
        from turntide.hashes import receivers  # noqa: F401  (withdraws hashes on decisions)
