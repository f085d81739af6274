from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "turntide.members"
    verbose_name = "Members"

    def ready(self) -> None:
        from turntide.members import receivers  # noqa: F401  (republishes the lists on decisions)
