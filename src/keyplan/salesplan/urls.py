from django.urls import include, path

from keyplan.salesplan import views

urlpatterns = [
    path("quotas/", views.quota_board_view, name="quotas"),
    path("quotas/set/", views.quota_set, name="quota_set"),
    path("quotas/<int:pk>/goals/", views.quota_goals, name="quota_goals"),
    path("goals/<int:pk>/apart/", views.goal_apart, name="goal_apart"),
    path("", include("keyplan.salesplan.territory.urls")),
    path("", include("keyplan.salesplan.leaders.urls")),
]
