from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "keyplan.core"
    label = "core"
