from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "turntide.exchange"
    verbose_name = "ICCAM exchange"
