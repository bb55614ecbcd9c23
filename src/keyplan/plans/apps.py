from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "keyplan.plans"
    label = "plans"
    verbose_name = "Account plans"
