from django.apps import AppConfig


class OutputsConfig(AppConfig):
    name = "keyplan.outputs"
    label = "outputs"
    verbose_name = "Plan exports"
