from django.apps import AppConfig


class RhythmConfig(AppConfig):
    name = "keyplan.rhythm"
    label = "rhythm"
    verbose_name = "Calendars and email"

    def ready(self) -> None:
        from keyplan.rhythm import checks  # noqa: F401 (registers the deploy check)
