from django.urls import path

from keyplan.forecast import views

urlpatterns = [
    path("territory/forecast/", views.forecast_page, name="forecast"),
]
