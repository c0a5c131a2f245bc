from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscretionConfig(AppConfig):
    name = "amends.discretion"
    label = "discretion"
    verbose_name = _("Discretion")

    def ready(self) -> None:
        from datetime import timedelta

        from django.conf import settings

        from amends.core import schedule
        from amends.core.management.commands.flush import APPEND_ONLY
        from amends.recovery.queries import register_section

        from .queries import case_discretion
        from .tasks import escalate_approvals

        register_section("discretion", case_discretion)
        ledger = "amends.discretion.migrations.0002_ledger_append_only"
        if ledger not in APPEND_ONLY:
            APPEND_ONLY.append(ledger)
        schedule.every(timedelta(seconds=settings.AMENDS_APPROVAL_SWEEP_SECONDS), escalate_approvals)
