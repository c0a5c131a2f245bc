from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecoveryConfig(AppConfig):
    name = "amends.recovery"
    label = "recovery"
    verbose_name = _("Recovery cases")

    def ready(self) -> None:
        from amends.customers.queries import register_section

        from .queries import customer_cases

        register_section("cases", customer_cases)
