from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "amends.insights"
    label = "insights"
    verbose_name = _("Insights")

    def ready(self) -> None:
        post_migrate.connect(_install_triggers, sender=self, dispatch_uid="amends.insights.facts_triggers")


def _install_triggers(sender: AppConfig, using: str, **kwargs: Any) -> None:
    from django.db import connections

    from .facts_triggers import install

    install(connections[using])
