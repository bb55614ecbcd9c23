from django.urls import path

from keyplan.imports import views

urlpatterns = [
    path("imports/", views.import_list, name="import_list"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/map/", views.import_map, name="import_map"),
    path("imports/<int:pk>/import-now/", views.import_now, name="import_now"),
    path("imports/<int:pk>/again/", views.import_again, name="import_again"),
    path("imports/<int:pk>/rejects/", views.import_rejects, name="import_rejects"),
    path("exports/<slug:kind>/", views.export_view, name="export"),
]
