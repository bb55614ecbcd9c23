from django.urls import include, path

from keyplan.operations.health import health

urlpatterns = [
    # Answered by operations.health.HealthCheckMiddleware before anything else; routed
    # too, so the URL has a name.
    path("healthz", health, name="health"),
    path("api/", include("keyplan.api.urls")),
    # The plan shared with the customer, outside the staff login (keyplan.mutual).
    path("", include("keyplan.mutual.urls")),
    path("", include("keyplan.ui.urls")),
]

handler400 = "keyplan.core.errors.bad_request"
handler403 = "keyplan.core.errors.permission_denied"
handler404 = "keyplan.core.errors.page_not_found"
handler500 = "keyplan.core.errors.server_error"
