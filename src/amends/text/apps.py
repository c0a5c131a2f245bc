from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TextConfig(AppConfig):
    name = "amends.text"
    label = "text"
    verbose_name = _("Complaint text")

    def ready(self) -> None:
        from amends.intake import hooks
        from amends.recovery.queries import register_section

        from . import queries, services

        hooks.register_receiver("text", services.complaint_read)
        hooks.register_relator("similar_text", queries.similar_open_case)
        hooks.register_answer("flags", queries.complaint_flags)
        hooks.register_answer("suggested", queries.complaint_suggested)
        register_section("flags", queries.case_flags)
        register_section("suggested", queries.case_suggested)
        register_section("coding", queries.case_coding)
