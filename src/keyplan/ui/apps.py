from django.apps import AppConfig


class UiConfig(AppConfig):
    name = "keyplan.ui"
    label = "ui"
