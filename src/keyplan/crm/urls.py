from django.urls import path

from keyplan.crm import views

urlpatterns = [
    path("crm/salesforce-export/", views.salesforce_export_view, name="salesforce_export"),
]
