"""Staff pages of correspondence: the compose form of the case page. It parses, then either fills the text
from a template (a draft, nothing sent) or calls `services.message_send`; a refusal is shown on the form
through `recovery.views.render_case`, with what the user wrote kept."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amends.accounts.http import staff, staff_page
from amends.core import clock
from amends.core.errors import AmendsError, InvalidInput
from amends.core.views import form_error
from amends.recovery.access import access_case
from amends.recovery.queries import case_detail
from amends.recovery.views import render_case

from . import services
from .forms import MessageForm
from .models import Channel
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
