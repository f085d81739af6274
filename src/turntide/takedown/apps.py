from django.apps import AppConfig


class TakedownConfig(AppConfig):
    name = "turntide.takedown"
    verbose_name = "Removal"
