from django.apps import AppConfig


class HashesConfig(AppConfig):
    name = "turntide.hashes"
    verbose_name = "Hash list"

    def ready(self) -> None:
        from turntide.hashes import receivers  # noqa: F401  (withdraws hashes on decisions)
