from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "turntide.audit"
    verbose_name = "Audit trail"
