from django.apps import AppConfig


class SalesConfig(AppConfig):
    name = "keyplan.sales"
    label = "sales"
