from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "turntide.insights"
    verbose_name = "Insights"
