from django.apps import AppConfig


class CrmConfig(AppConfig):
    name = "keyplan.crm"
    label = "crm"
    verbose_name = "Changes back to the CRM"
