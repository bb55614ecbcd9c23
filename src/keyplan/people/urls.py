from django.urls import path

from keyplan.people import views

urlpatterns = [
    path("people/", views.UserListView.as_view(), name="user_list"),
    path("people/new/", views.user_edit, name="user_create"),
    path("people/<int:pk>/edit/", views.user_edit, name="user_edit"),
    path("people/<int:pk>/unlock/", views.user_unlock, name="user_unlock"),
    path("people/<int:pk>/revoke-token/", views.user_revoke_token, name="user_revoke_token"),
    path("teams/new/", views.team_edit, name="team_create"),
    path("me/password/", views.my_password, name="my_password"),
    path("me/api-tokens/", views.my_tokens, name="my_tokens"),
    path("me/api-tokens/new/", views.my_token_new, name="my_token_new"),
    path("me/api-tokens/<int:pk>/revoke/", views.my_token_revoke, name="my_token_revoke"),
    path("teams/<int:pk>/edit/", views.team_edit, name="team_edit"),
]
