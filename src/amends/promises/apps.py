from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PromisesConfig(AppConfig):
    name = "amends.promises"
    label = "promises"
    verbose_name = _("Promises")

    def ready(self) -> None:
        from datetime import datetime

        from amends.accounts.models import User
        from amends.recovery.models import Case
        from amends.recovery.services import case_rows_move, register_absorber

        from .models import Promise

        def absorb(*, into: Case, other: Case, actor: User, at: datetime) -> int:
            """A merged case's promises follow its complaints to the case it was merged into."""
            return case_rows_move(Promise, other=other, into=into, actor=actor, action="promise.merge")

        register_absorber("promises", absorb)

        from amends.recovery.queries import register_section

        from .queries import case_promises

        register_section("promises", case_promises)

        from amends.customers.queries import register_section as register_customer_section

        from .queries import customer_promises

        register_customer_section("promises", customer_promises)

        from datetime import timedelta

        from django.conf import settings

        from amends.core import schedule

        from . import alert_rules  # noqa: F401 - registers the promise rules with early warning
        from .tasks import sweep_promises

        schedule.every(timedelta(seconds=settings.AMENDS_PROMISE_SWEEP_SECONDS), sweep_promises)
