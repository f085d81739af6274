from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "turntide.members"
    verbose_name = "Members"
