"""Routes of the relationship and decision map (kept apart from plans/urls.py)."""

from django.urls import path

from keyplan.plans.views import map as views

urlpatterns = [
    path("plans/<int:pk>/map/", views.plan_map_view, name="plan_map"),
    path("plans/<int:pk>/map/contacts/new/", views.map_contact_view, name="plan_map_contact_new"),
    path(
        "plans/<int:pk>/map/contacts/<int:contact>/",
        views.map_contact_view,
        name="plan_map_contact",
    ),
    path("plans/<int:pk>/map/pairings/new/", views.map_pairing_view, name="plan_map_pairing_new"),
    path(
        "plans/<int:pk>/map/pairings/<int:item>/delete/",
        views.map_pairing_delete_view,
        name="plan_map_pairing_delete",
    ),
]
