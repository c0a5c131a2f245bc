"""Intake's notices to the complainant, sent as messages: registered on `intake.hooks` by `assembly.wiring`.

Intake keeps the record (`ComplaintNotice`, in the site's language); this sends it to the customer's preferred
contact from the editable template `complaint.<kind>` in the customer's language, after commit with retries
(`services.message_send`). Values that are choice labels stay lazy until the template is filled, so a result
reads 部分支持 in a Chinese message and "Partly upheld" in an English one. Without the template (a flushed
test database, a deleted row) the notice's own text is sent rather than nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, cast

from django.utils import translation

from . import template_store
from .contacts import preference_of
from .models import Message
from .services import language_for, message_send

if TYPE_CHECKING:
    from amends.accounts.models import User
    from amends.intake.models import Complaint


def complaint_notice_send(*, actor: User, complaint: Complaint, kind: str, values: Mapping[str, object]) -> Message:
    case = complaint.case
    key = f"complaint.{kind}"
    preference = preference_of(case.pk)
    language = language_for(preference.language)
    filled = {**values, "complaint": complaint.reference}
    # The complaint's own case and the preference are at hand: message_send need not read them again.
    with translation.override(language):
        if template_store.exists(key):
            return message_send(
                actor=actor,
                case=case,
                template=key,
                values=cast("Mapping[str, str]", filled),  # lazy labels: filled in (str) under this language
                language=language,
                complaint_id=complaint.pk,
                complaint_case_id=complaint.case_id,
                preference=preference,
            )
        return message_send(
            actor=actor,
            case=case,
            body=str(values.get("text", "")),
            complaint_id=complaint.pk,
            complaint_case_id=complaint.case_id,
            preference=preference,
        )
