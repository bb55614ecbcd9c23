from django.apps import AppConfig


class TerritoryConfig(AppConfig):
    name = "keyplan.territory"
    label = "territory"
