from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WarningConfig(AppConfig):
    name = "amends.warning"
    label = "warning"
    verbose_name = _("Early warning")

    def ready(self) -> None:
        from datetime import timedelta

        from django.conf import settings

        from amends.core import importing, schedule
        from amends.recovery.queries import register_section

        from .importer import IMPORTER
        from .queries import case_playbook
        from .tasks import sweep_rules

        importing.register(IMPORTER)
        register_section("playbook", case_playbook)
        schedule.every(timedelta(seconds=settings.AMENDS_WARNING_SWEEP_SECONDS), sweep_rules)
