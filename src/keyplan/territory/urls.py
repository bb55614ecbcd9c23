from django.urls import path

from keyplan.territory import views

urlpatterns = [
    path("territory/", views.territory, name="territory"),
    path("territory/icp/", views.icp_settings, name="icp_settings"),
    path("territory/tiers/", views.tiers, name="tiers"),
    path("territory/whitespace/", views.whitespace_page, name="whitespace"),
    path("territory/whitespace/export/", views.whitespace_export, name="whitespace_export"),
]
