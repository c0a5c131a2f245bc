from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "amends.intake"
    label = "intake"
    verbose_name = _("Complaint intake")

    def ready(self) -> None:
        from amends.core.importing import register
        from amends.recovery.queries import register_section

        from .importing.command import IMPORTER
        from .queries import case_complaints

        register_section("complaints", case_complaints)
        register(IMPORTER)
