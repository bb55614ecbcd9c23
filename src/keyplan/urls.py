from django.urls import include, path

urlpatterns = [
    path("api/", include("keyplan.api.urls")),
    path("", include("keyplan.ui.urls")),
]

handler400 = "keyplan.core.errors.bad_request"
handler403 = "keyplan.core.errors.permission_denied"
handler404 = "keyplan.core.errors.page_not_found"
handler500 = "keyplan.core.errors.server_error"
