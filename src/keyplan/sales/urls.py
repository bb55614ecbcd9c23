from django.urls import path

from keyplan.sales import views

urlpatterns = [
    path("opportunities/", views.OpportunityListView.as_view(), name="opportunity_list"),
    path("opportunities/<int:pk>/", views.opportunity_detail, name="opportunity_detail"),
    path(
        "opportunities/<int:pk>/delete/", views.opportunity_delete_view, name="opportunity_delete"
    ),
]
