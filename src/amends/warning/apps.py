from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WarningConfig(AppConfig):
    name = "amends.warning"
    label = "warning"
    verbose_name = _("Early warning")
