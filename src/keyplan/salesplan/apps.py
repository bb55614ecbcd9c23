from django.apps import AppConfig


class SalesPlanConfig(AppConfig):
    name = "keyplan.salesplan"
    label = "salesplan"
    verbose_name = "Sales plan: quotas and account goals"
