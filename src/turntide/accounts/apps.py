from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "turntide.accounts"
    verbose_name = _("Staff accounts")

    def ready(self) -> None:
        from turntide.accounts import receivers  # noqa: F401  (audits logins)
        from turntide.accounts.roles import ensure_roles

        post_migrate.connect(ensure_roles, dispatch_uid="accounts.ensure_roles")
