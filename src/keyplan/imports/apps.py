from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "keyplan.imports"
    label = "imports"
    verbose_name = "Imports and exports"
