"""What a complainant adds on their status page (补充材料): a message and files, kept on their case as a
message from the customer with its attachments, scoped by the private link alone.

Limits: `AMENDS_PORTAL_ADDITIONS_PER_DAY` additions per complaint, `MAX_FILES` files each; the files are
checked like any evidence (`correspondence.evidence`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.utils.translation import gettext as _

from amends.core import clock
from amends.core.errors import InvalidInput
from amends.correspondence import evidence
from amends.correspondence.models import AttachmentSource, Channel, Direction, Message
from amends.correspondence.services import message_receive

from .common import RateLimited, self_service_actor

MAX_FILES = 5
MAX_TEXT = 5000


@transaction.atomic
def portal_add(*, token: str, text: str, files: Sequence[File]) -> Message:
    """Keep the complainant's message and files on their case; returns the message row."""
    from ..queries import submission_for_token

    submission = submission_for_token(token)
    complaint = submission.complaint
    text = text.strip()
    problems: dict[str, list[str]] = {}
    if not text and not files:
        problems["text"] = [_("Write a message or choose a file.")]
    if len(text) > MAX_TEXT:
        problems["text"] = [_("At most %(n)s characters.") % {"n": MAX_TEXT}]
    if len(files) > MAX_FILES:
        problems["files"] = [_("At most %(n)s files at a time.") % {"n": MAX_FILES}]
    if problems:
        raise InvalidInput(_("Nothing was added yet: please correct the marked fields."), fields=problems)
    since = clock.now() - timedelta(days=1)
    recent = Message.objects.filter(
        case_id=complaint.case_id, direction=Direction.IN, channel=Channel.PORTAL, created_at__gte=since
    ).count()
    if recent >= settings.AMENDS_PORTAL_ADDITIONS_PER_DAY:
        raise RateLimited(
            _("You have added a lot today. Please wait until tomorrow or call us on %(hotline)s.")
            % {"hotline": settings.AMENDS_HOTLINE}
        )
    actor = self_service_actor()
    message = message_receive(
        actor=actor,
        case=complaint.case,
        channel=Channel.PORTAL,
        body=text or _("(files only)"),
        complaint_id=complaint.pk,
    )
    for upload in files:
        try:
            evidence.attachment_add(
                actor=actor,
                case=complaint.case,
                upload=upload,
                source=AttachmentSource.PORTAL,
                complaint_id=complaint.pk,
                message_id=message.pk,
            )
        except InvalidInput as exc:
            # Name the file: the complainant may have chosen several.
            said = exc.fields.get("file", [exc.detail])
            raise InvalidInput(
                _("%(name)s: %(problem)s") % {"name": upload.name, "problem": said[0]}, fields={"files": said}
            ) from exc
    return message
