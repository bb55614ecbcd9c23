from django.urls import path

from keyplan.accounts import views

urlpatterns = [
    path("accounts/", views.AccountListView.as_view(), name="account_list"),
    path("accounts/new/", views.account_create_view, name="account_create"),
    path("accounts/<int:pk>/", views.account_detail, name="account_detail"),
    path("accounts/<int:pk>/edit/", views.account_edit_view, name="account_edit"),
    path("accounts/<int:pk>/delete/", views.account_delete_view, name="account_delete"),
    path(
        "accounts/<int:account_pk>/contacts/new/",
        views.contact_create_view,
        name="contact_create",
    ),
    path("contacts/", views.ContactListView.as_view(), name="contact_list"),
    path("contacts/<int:pk>/", views.contact_detail, name="contact_detail"),
    path("contacts/<int:pk>/edit/", views.contact_edit_view, name="contact_edit"),
    path("contacts/<int:pk>/delete/", views.contact_delete_view, name="contact_delete"),
]
