from django.urls import path

from keyplan.territory import views

urlpatterns = [path("territory/", views.territory, name="territory")]
