from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "keyplan.core"
    label = "core"

    def ready(self) -> None:
        from keyplan.core.tables import remember_cell_signatures

        remember_cell_signatures()
