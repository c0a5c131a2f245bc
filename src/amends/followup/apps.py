from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "amends.followup"
    label = "followup"
    verbose_name = _("Customer follow-up")

    def ready(self) -> None:
        from datetime import timedelta

        from django.conf import settings

        from amends.core import schedule
        from amends.recovery.queries import register_section

        from .queries import case_eodc
        from .tasks import sample_callbacks, sweep_surveys

        register_section("eodc", case_eodc)
        schedule.every(timedelta(seconds=settings.AMENDS_SURVEY_SWEEP_SECONDS), sweep_surveys)
        schedule.every(timedelta(hours=24), sample_callbacks)
