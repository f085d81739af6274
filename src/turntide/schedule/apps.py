from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class ScheduleConfig(AppConfig):
    name = "turntide.schedule"
    verbose_name = _("Periodic jobs")

    def ready(self) -> None:
        # Periodic tasks register themselves when their app's tasks module is imported.
        autodiscover_modules("tasks")
