from django.urls import path

from keyplan.salesplan.territory import views

urlpatterns = [
    path("territory-plans/", views.plan_list, name="territory_plans"),
    path("territory-plans/start/", views.plan_start, name="territory_plan_start"),
    path("territory-plans/<int:pk>/", views.plan_page, name="territory_plan"),
    path("territory-plans/<int:pk>/facts/", views.facts_review_view, name="territory_facts"),
    path(
        "territory-plans/<int:pk>/status/<str:action>/",
        views.plan_status,
        name="territory_plan_status",
    ),
    path("territory-plans/<int:pk>/versions/", views.version_compare, name="territory_versions"),
    path(
        "territory-plans/<int:pk>/versions/take/", views.version_take, name="territory_version_take"
    ),
    path("territory-plans/<int:pk>/<str:kind>/", views.part_save, name="territory_part_new"),
    path("territory-plans/<int:pk>/<str:kind>/<int:item>/", views.part_save, name="territory_part"),
    path(
        "territory-plans/<int:pk>/<str:kind>/<int:item>/delete/",
        views.part_delete,
        name="territory_part_delete",
    ),
]
