from django.contrib.auth import views as auth_views
from django.urls import include, path

from keyplan.ui import views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="ui/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
    path("", include("keyplan.accounts.urls")),
    path("", include("keyplan.sales.urls")),
    path("", include("keyplan.catalog.urls")),
    path("", include("keyplan.people.urls")),
    path("", include("keyplan.imports.urls")),
    path("", include("keyplan.territory.urls")),
    path("", include("keyplan.forecast.urls")),
    path("", include("keyplan.plans.urls")),
    path("", include("keyplan.plans.urls_map")),
    path("", include("keyplan.outputs.urls")),
    path("", include("keyplan.salesplan.urls")),
    path("", include("keyplan.reviews.urls")),
    path("", include("keyplan.audit.urls")),
    path("", include("keyplan.crm.urls")),
    path("", include("keyplan.rhythm.urls")),
]
