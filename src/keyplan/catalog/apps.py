from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "keyplan.catalog"
    label = "catalog"
