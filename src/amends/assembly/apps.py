from django.apps import AppConfig


class AssemblyConfig(AppConfig):
    name = "amends.assembly"
    label = "assembly"

    def ready(self) -> None:
        from .wiring import connect

        connect()
