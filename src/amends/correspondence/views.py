"""Staff pages of correspondence: the compose form of the case page. It parses, then either fills the text
from a template (a draft, nothing sent) or calls `services.message_send`; a refusal is shown on the form
through `recovery.views.render_case`, with what the user wrote kept."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amends.accounts.http import staff, staff_page
from amends.core import clock
from amends.core.errors import AmendsError, InvalidInput
from amends.core.views import form_error
from amends.recovery.access import access_case
from amends.recovery.queries import case_detail
from amends.recovery.views import render_case

from . import evidence, services
from .forms import EvidenceForm, MessageForm
from .models import Attachment, Channel
from .queries import drafts


@require_POST
@staff_page
def message_send(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = staff(request)
    case = access_case(actor, case_id)
    if request.POST.get("draft"):
        return _draft(request, case_id)
    form = MessageForm(request.POST)
    try:
        if not form.is_valid():
            raise InvalidInput(_("The message was not sent: please correct the marked fields."))
        d = form.cleaned_data
        message = services.message_send(
            actor=actor,
            case=case,
            template=d["template"],
            subject=d["subject"],
            body=d["body"],
            channel=d["channel"] or None,
        )
    except AmendsError as exc:
        form_error(form, exc)
        return render_case(request, case_id, forms={"message": form}, status=exc.status)
    if message.status == "failed":
        messages.warning(request, message.last_error)
    else:
        how = _("by e-mail") if message.channel == Channel.EMAIL else _("by text message")
        messages.success(request, _("Message queued to go out %(how)s.") % {"how": how})
    return redirect(reverse("case", kwargs={"case_id": case_id}) + "#messages")


def _draft(request: HttpRequest, case_id: int) -> HttpResponse:
    """The chosen template's text in the form (what JavaScript does in the browser, for a page without it)."""
    key = request.POST.get("template", "")
    found = {d["key"]: d for d in drafts(case_detail(staff(request), case_id, now=clock.now()))}.get(key)
    data = request.POST.copy()
    if found is not None:
        data["subject"], data["body"] = found["subject"], found["body"]
    form = MessageForm(data)
    form.is_valid()
    return render_case(request, case_id, forms={"message": form})


@require_POST
@staff_page
def attachment_add(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = staff(request)
    case = access_case(actor, case_id)
    form = EvidenceForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise InvalidInput(_("The file was not attached: please correct the marked fields."))
        targets = form.targets()
        attachment = evidence.attachment_add(
            actor=actor,
            case=case,
            upload=form.cleaned_data["file"],
            note=form.cleaned_data["note"],
            complaint_id=targets["complaint_id"],
            step_id=targets["step_id"],
            message_id=targets["message_id"],
        )
    except AmendsError as exc:
        form_error(form, exc, field_names={"complaint": "about", "step": "about", "message": "about"})
        return render_case(request, case_id, forms={"evidence": form}, status=exc.status)
    messages.success(request, _("%(name)s attached.") % {"name": attachment.original_name})
    return redirect(reverse("case", kwargs={"case_id": case_id}) + "#evidence")


@require_GET
@staff_page
def attachment_download(request: HttpRequest, attachment_id: int) -> HttpResponse:
    attachment, handle = evidence.attachment_open(actor=staff(request), attachment_id=attachment_id)
    return cast(HttpResponse, file_response(attachment, handle))  # a streamed file, where pages return HttpResponse


@require_GET
@staff_page
def attachment_thumbnail(request: HttpRequest, attachment_id: int) -> HttpResponse:
    attachment = evidence.access_attachment(staff(request), attachment_id)
    if not attachment.thumbnail:
        raise Http404
    response = FileResponse(default_storage.open(attachment.thumbnail.name, "rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return cast(HttpResponse, response)


def file_response(attachment: Attachment, handle: Any) -> FileResponse:
    """Always a download (never rendered by the browser in our origin), under the cleaned original name."""
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
