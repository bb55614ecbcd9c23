from django.urls import path

from keyplan.territory import views

urlpatterns = [
    path("territory/", views.territory, name="territory"),
    path("territory/icp/", views.icp_settings, name="icp_settings"),
    path("territory/tiers/", views.tiers, name="tiers"),
    path("territory/whitespace/", views.whitespace_page, name="whitespace"),
    path("territory/strategic/", views.strategic, name="strategic"),
    path("territory/audience/", views.audience_page, name="audience"),
    path("territory/history/", views.history, name="territory_history"),
    path("accounts/<int:pk>/potential/", views.potential_estimate, name="potential_estimate"),
    path("territory/whitespace/export/", views.whitespace_export, name="whitespace_export"),
]
