from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "turntide.members"
    verbose_name = _("Members")

    def ready(self) -> None:
        from turntide.members import receivers  # noqa: F401  (republishes the lists on decisions)
