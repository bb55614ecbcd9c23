from django.urls import path

from keyplan.audit import views

urlpatterns = [
    path("recycle-bin/", views.recycle_bin, name="recycle_bin"),
    path("recycle-bin/<int:pk>/restore/", views.restore_view, name="recycle_restore"),
    path("audit-log/", views.audit_log, name="audit_log"),
    path("audit-log/export.csv", views.audit_log_csv, name="audit_log_csv"),
]
