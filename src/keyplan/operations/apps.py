from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "keyplan.operations"
    label = "operations"
    verbose_name = "Operations"
