from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "keyplan.people"
    label = "people"
