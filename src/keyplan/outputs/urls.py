from django.urls import path

from keyplan.outputs import views

urlpatterns = [
    path("plans/<int:pk>/export/<str:fmt>/", views.plan_export_view, name="plan_export"),
    path(
        "territory-plans/<int:pk>/export/<str:fmt>/",
        views.territory_plan_export_view,
        name="territory_plan_export",
    ),
    path("review-packs/", views.review_pack_view, name="review_pack"),
]
