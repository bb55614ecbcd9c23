from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "keyplan.accounts"
    label = "accounts"
