from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "turntide.accounts"
    verbose_name = "Staff accounts"

    def ready(self) -> None:
        from turntide.accounts import receivers  # noqa: F401  (audits logins)
        from turntide.accounts.roles import ensure_roles

        post_migrate.connect(ensure_roles, dispatch_uid="accounts.ensure_roles")
