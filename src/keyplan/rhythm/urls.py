from django.urls import path

from keyplan.rhythm import views

urlpatterns = [
    path("me/", views.my_settings, name="my_settings"),
    path("me/calendar/regenerate/", views.calendar_regenerate, name="calendar_regenerate"),
    path("me/calendar/revoke/", views.calendar_revoke, name="calendar_revoke"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
