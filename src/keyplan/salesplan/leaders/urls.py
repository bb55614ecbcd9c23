from django.urls import path

from keyplan.salesplan.leaders import views

urlpatterns = [
    path("team/", views.team_board, name="team_board"),
    path("company/", views.company_view, name="company_view"),
    path("rollups/drill/", views.drill, name="rollup_drill"),
]
