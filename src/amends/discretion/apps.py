from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscretionConfig(AppConfig):
    name = "amends.discretion"
    label = "discretion"
    verbose_name = _("Discretion")

    def ready(self) -> None:
        from datetime import datetime

        from amends.accounts.models import User
        from amends.recovery.models import Case
        from amends.recovery.services import case_rows_move, register_absorber

        from .models import DiscretionRequest

        def absorb(*, into: Case, other: Case, actor: User, at: datetime) -> int:
            """A merged case's discretion requests follow its complaints to the case it was merged into."""
            return case_rows_move(
                DiscretionRequest, other=other, into=into, actor=actor, action="discretion_request.merge"
            )

        register_absorber("discretion", absorb)

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
