from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "keyplan.audit"
    label = "audit"
    verbose_name = "Audit log and recycle bin"

    def ready(self) -> None:
        from keyplan.audit import signals  # noqa: F401  (connects the sign-in and user hooks)
