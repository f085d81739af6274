from django.apps import AppConfig


class HashesConfig(AppConfig):
    name = "turntide.hashes"
    verbose_name = "Hash list"
