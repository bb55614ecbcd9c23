from django.urls import path

from keyplan.mutual import views

urlpatterns = [
    # The customer's page: outside the staff login, the link is the key.
    path("shared/<str:token>/", views.customer_page, name="mutual_plan"),
    # The owner's side, under the plan.
    path("plans/<int:pk>/shares/new/", views.share_new_view, name="plan_share_new"),
    path(
        "plans/<int:pk>/shares/<int:share>/revoke/",
        views.share_revoke_view,
        name="plan_share_revoke",
    ),
]
