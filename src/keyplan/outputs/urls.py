from django.urls import path

from keyplan.outputs import views

urlpatterns = [
    path("plans/<int:pk>/export/<str:fmt>/", views.plan_export_view, name="plan_export"),
]
