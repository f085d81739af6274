from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "turntide.reports"
    verbose_name = "Reports"
