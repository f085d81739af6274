from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "turntide.cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        from turntide.cases import receivers  # noqa: F401  (joins reported URLs to cases)
