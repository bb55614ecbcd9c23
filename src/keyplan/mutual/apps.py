from django.apps import AppConfig


class MutualConfig(AppConfig):
    name = "keyplan.mutual"
    label = "mutual"
    verbose_name = "The mutual plan, shared with the customer"
