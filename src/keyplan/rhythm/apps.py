from django.apps import AppConfig


class RhythmConfig(AppConfig):
    name = "keyplan.rhythm"
    label = "rhythm"
    verbose_name = "Calendars and email"
