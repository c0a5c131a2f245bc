from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RecoveryConfig(AppConfig):
    name = "amends.recovery"
    label = "recovery"
    verbose_name = _("Recovery cases")

    def ready(self) -> None:
        post_migrate.connect(_install_triggers, sender=self, dispatch_uid="amends.recovery.owner_load")


def _install_triggers(sender: AppConfig, using: str, **kwargs: Any) -> None:
    from django.db import connections

    from .owner_load import install

    install(connections[using])
