"""Evidence files on a case (证据材料): adding one (`attachment_add`), reading one for download
(`attachment_open`), and removing files no row points to (`attachments_clean_orphans`).

A file is checked before anything is kept: its size, and its type from its first bytes (`rules.sniff`); an
image must open in Pillow, which also draws its thumbnail. The file is written through Django's storage API
first, then its row, audit and timeline entries in one transaction; if that transaction fails the file is
deleted, and a file whose row never committed (an outer transaction rolled back, a process killed between the
two) is removed by the daily sweep. Nothing half-written is ever shown.
"""

from __future__ import annotations

import hashlib
import io
import uuid
import zipfile
from datetime import datetime, timedelta
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from amends.accounts.access import in_scope
from amends.accounts.models import User
from amends.core import audit, clock
from amends.core.errors import InvalidInput, NotFound
from amends.recovery.models import Case, CaseStep, TimelineKind
from amends.recovery.services import timeline_add

from . import rules
from .models import Attachment, AttachmentSource, Message

FOLDER = "evidence"
THUMBNAIL_PX = 320
AUDIT_FIELDS = ["original_name", "content_type", "size", "sha256", "source", "complaint_id", "step", "message"]


def _refuse(text: str) -> InvalidInput:
    return InvalidInput(text, fields={"file": [text]})


def inspect(upload: IO[bytes], size: int) -> tuple[rules.FileKind, str]:
    """The kind of file and its SHA-256, or InvalidInput naming what is wrong with it."""
    limit = settings.AMENDS_ATTACHMENT_MAX_BYTES
    if size <= 0:
        raise _refuse(_("The file is empty."))
    if size > limit:
        raise _refuse(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": f"{size / 1048576:.1f}", "limit": f"{limit / 1048576:.0f}"}
        )
    upload.seek(0)
    head = upload.read(64)
    names = None
    if head[:4] == b"PK\x03\x04":
        upload.seek(0)
        try:
            names = zipfile.ZipFile(upload).namelist()
        except (zipfile.BadZipFile, OSError):
            names = None
    kind = rules.sniff(head, zip_names=names)
    if kind is None:
        raise _refuse(
            _(
                "This kind of file is not accepted. Send photos (JPEG, PNG, GIF, WebP, TIFF, HEIC), PDF, Word or "
                "Excel documents, or recordings (MP3, M4A, WAV, AMR, MP4)."
            )
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in iter(lambda: upload.read(1 << 20), b""):
        digest.update(chunk)
    return kind, digest.hexdigest()


def _thumbnail(upload: IO[bytes], kind: rules.FileKind) -> bytes | None:
    """A JPEG of at most THUMBNAIL_PX a side; InvalidInput for an image that does not open (or is a bomb)."""
    if not kind.image:
        return None
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX))
            out = io.BytesIO()
            image.convert("RGB").save(out, "JPEG", quality=80)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise _refuse(_("The picture could not be read; it may be damaged.")) from exc


def _belongs(case: Case, *, complaint_id: int | None, step_id: int | None, message_id: int | None) -> None:
    wrong: dict[str, list[str]] = {}
    # Complaints live above this app: asked through the case's own reverse relation, not intake's model.
    if complaint_id is not None and not case.complaints.filter(pk=complaint_id).exists():
        wrong["complaint"] = [_("Not a complaint of this case.")]
    if step_id is not None and not CaseStep.objects.filter(pk=step_id, case=case).exists():
        wrong["step"] = [_("Not a step of this case.")]
    if message_id is not None and not Message.objects.filter(pk=message_id, case=case).exists():
        wrong["message"] = [_("Not a message of this case.")]
    if wrong:
        raise InvalidInput(_("The file must be attached to something of this case."), fields=wrong)


def attachment_add(
    *,
    actor: User | None,
    case: Case,
    upload: File,
    source: str = AttachmentSource.STAFF,
    complaint_id: int | None = None,
    step_id: int | None = None,
    message_id: int | None = None,
    note: str = "",
) -> Attachment:
    """Keep an uploaded file as evidence on the case (the caller has checked the actor may see the case)."""
    size = int(upload.size or 0)
    kind, sha256 = inspect(upload, size)
    thumb = _thumbnail(upload, kind)
    _belongs(case, complaint_id=complaint_id, step_id=step_id, message_id=message_id)
    now = clock.now()
    stem = f"{FOLDER}/{timezone.localtime(now):%Y/%m}/{uuid.uuid4().hex}"
    upload.seek(0)
    stored = default_storage.save(stem + kind.extension, upload)
    thumb_name = default_storage.save(stem + "_thumb.jpg", ContentFile(thumb)) if thumb is not None else ""
    try:
        with transaction.atomic():
            attachment = Attachment.objects.create(
                case=case,
                complaint_id=complaint_id,
                step_id=step_id,
                message_id=message_id,
                file=stored,
                thumbnail=thumb_name,
                original_name=rules.clean_name(upload.name or ""),
                content_type=kind.content_type,
                size=size,
                sha256=sha256,
                source=source,
                uploaded_by=actor if actor is not None and actor.pk else None,
                note=note[:500],
                created_at=now,
            )
            audit.record(
                audit.entry(
                    actor=actor, action="attachment.add", obj=attachment, after=audit.snapshot(attachment, AUDIT_FIELDS)
                )
            )
            timeline_add(
                case,
                TimelineKind.ATTACHMENT,
                actor=attachment.uploaded_by,
                text=attachment.original_name,
                data={"attachment": attachment.pk, "source": source, "step": step_id, "message": message_id}
                | ({"complaint": complaint_id} if complaint_id else {}),
                at=now,
            )
    except BaseException:
        for name in (stored, thumb_name):
            if name:
                default_storage.delete(name)
        raise
    return attachment


def access_attachment(actor: User, attachment_id: int, *, case_id: int | None = None) -> Attachment:
    found = Attachment.objects.select_related("case").filter(pk=attachment_id).first()
    if (
        found is None
        or not in_scope(actor, found.case.org_unit_id)
        or (case_id is not None and found.case_id != case_id)
    ):
        raise NotFound(_("No such file."))
    return found


@transaction.atomic
def attachment_open(*, actor: User, attachment_id: int, case_id: int | None = None) -> tuple[Attachment, Any]:
    """The attachment and its open file for a download, which is audited (who read which evidence, when)."""
    attachment = access_attachment(actor, attachment_id, case_id=case_id)
    handle = default_storage.open(attachment.file.name, "rb")
    audit.record(audit.entry(actor=actor, action="attachment.download", obj=attachment))
    return attachment, handle


def attachments_clean_orphans(*, now: datetime | None = None, grace: timedelta = timedelta(days=1)) -> int:
    """Delete evidence files of this month and the last that no attachment row names and that are older than
    `grace` (an upload in progress has its row within seconds); returns how many."""
    now = now or clock.now()
    local = timezone.localtime(now)
    last_month = (local.replace(day=1) - timedelta(days=1)).strftime("%Y/%m")
    removed = 0
    for month in {local.strftime("%Y/%m"), last_month}:
        folder = f"{FOLDER}/{month}"
        if not default_storage.exists(folder):
            continue
        _dirs, files = default_storage.listdir(folder)
        names = [f"{folder}/{f}" for f in files]
        known = set(Attachment.objects.filter(file__in=names).values_list("file", flat=True)) | set(
            Attachment.objects.filter(thumbnail__in=names).values_list("thumbnail", flat=True)
        )
        for name in names:
            if name not in known and default_storage.get_modified_time(name) < now - grace:
                default_storage.delete(name)
                removed += 1
    return removed
