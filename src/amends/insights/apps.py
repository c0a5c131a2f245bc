from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "amends.insights"
    label = "insights"
    verbose_name = _("Insights")

    def ready(self) -> None:
        from datetime import timedelta

        from amends.core import schedule

        from .tasks import bring_facts_up_to_date

        schedule.every(timedelta(minutes=1), bring_facts_up_to_date)
