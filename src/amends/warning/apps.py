from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WarningConfig(AppConfig):
    name = "amends.warning"
    label = "warning"
    verbose_name = _("Early warning")

    def ready(self) -> None:
        from datetime import datetime

        from amends.accounts.models import User
        from amends.recovery.models import Case
        from amends.recovery.services import case_rows_move, register_absorber

        from .models import Alert

        def absorb(*, into: Case, other: Case, actor: User, at: datetime) -> int:
            """A merged case's alerts follow its complaints to the case it was merged into."""
            return case_rows_move(Alert, other=other, into=into, actor=actor, action="alert.merge")

        register_absorber("warning", absorb)

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
