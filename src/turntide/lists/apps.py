from django.apps import AppConfig


class ListsConfig(AppConfig):
    name = "turntide.lists"
    verbose_name = "Versioned lists"
