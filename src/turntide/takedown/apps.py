from django.apps import AppConfig


class TakedownConfig(AppConfig):
    name = "turntide.takedown"
    verbose_name = "Removal"

    def ready(self) -> None:
        from turntide.takedown import receivers  # noqa: F401  (starts takedowns when actioned)
