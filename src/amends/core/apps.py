from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "amends.core"
    label = "core"

    def ready(self) -> None:
        from . import lookups  # noqa: F401 - registers `__any` on every field
        from .psycopg_cache import widen

        widen()
