"""What waits on me (待我处理): approvals I must decide, live alerts I own, my promises due today and unread
notifications (mentions, activity on cases I follow), counted for the top bar's badge, listed on /waiting/ with
a link to each list, and sent as a daily e-mail to those who ask for it. It spans discretion, warning,
promises and correspondence, so it lives in the top package.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_tasks import task

from amends.accounts.http import staff, staff_page
from amends.accounts.models import User
from amends.core import audit, clock
from amends.correspondence.models import Digest, Notification, NotificationKind, NotificationSettings
from amends.correspondence.notes import notifications_read
from amends.discretion.models import Approval, ApprovalStatus
from amends.promises.models import Promise, PromiseStatus
from amends.warning.models import Alert, AlertStatus

NOTIFICATIONS_SHOWN = 50


def _end_of_today(now: datetime) -> datetime:
    return timezone.localtime(now).replace(hour=23, minute=59, second=59, microsecond=999999)


def counts(user: User, now: datetime) -> dict[str, int]:
    """Four counts, each on a partial or foreign-key index of its table."""
    end_of_today = _end_of_today(now)
    return {
        "approvals": Approval.objects.filter(approver=user, status=ApprovalStatus.PENDING).count(),
        "alerts": Alert.objects.filter(owner=user).exclude(status=AlertStatus.RESOLVED).count(),
        "promises": Promise.objects.filter(made_by=user, status=PromiseStatus.OPEN, due_at__lte=end_of_today).count(),
        "mentions": Notification.objects.filter(user=user, read_at__isnull=True).count(),
    }


def settings_of(user: User) -> NotificationSettings:
    found = NotificationSettings.objects.filter(user=user).first()
    return found or NotificationSettings(user=user)


@require_GET
@staff_page
def badge(request: HttpRequest) -> HttpResponse:
    found = counts(staff(request), clock.now())
    return render(request, "assembly/_waiting_badge.html", {"total": sum(found.values()), "counts": found})


@require_GET
@staff_page
def waiting_page(request: HttpRequest) -> HttpResponse:
    user = staff(request)
    rows = (
        Notification.objects.filter(user=user)
        .select_related("case", "actor", "note", "message")
        .order_by("read_at", "-created_at")[:NOTIFICATIONS_SHOWN]
    )
    return render(
        request,
        "assembly/waiting.html",
        {"counts": counts(user, clock.now()), "notifications": rows, "digest": settings_of(user).digest},
    )


@require_GET
@staff_page
def open_notification(request: HttpRequest, notification_id: int) -> HttpResponse:
    user = staff(request)
    found = Notification.objects.filter(pk=notification_id, user=user).first()
    if found is None:
        return redirect("waiting")
    notifications_read(actor=user, case_id=found.case_id)
    anchor = "#notes" if found.kind != NotificationKind.MESSAGE else "#messages"
    return redirect(reverse("case", kwargs={"case_id": found.case_id}) + anchor)


@require_POST
@staff_page
def read_all(request: HttpRequest) -> HttpResponse:
    n = notifications_read(actor=staff(request))
    messages.success(request, _("%(n)s notifications marked read.") % {"n": n})
    return redirect("waiting")


@require_POST
@staff_page
def digest_set(request: HttpRequest) -> HttpResponse:
    user = staff(request)
    choice = request.POST.get("digest", "")
    if choice not in Digest.values:
        messages.error(request, _("Choose how you want to hear of it."))
        return redirect("waiting")
    with transaction.atomic():
        row, _created = NotificationSettings.objects.select_for_update().get_or_create(user=user)
        before = {"digest": row.digest}
        row.digest = choice
        row.save(update_fields=["digest"])
        audit.record(
            audit.entry(actor=user, action="notifications.digest", obj=row, before=before, after={"digest": choice})
        )
    if choice == Digest.DAILY and not user.email:
        messages.warning(request, _("Saved, but your account has no e-mail address: ask an administrator to add one."))
    else:
        messages.success(request, _("Saved."))
    return redirect("waiting")


def digests_send(*, now: datetime | None = None) -> int:
    """Send the daily digest to each colleague who asked for it and has something waiting; returns how many."""
    now = now or clock.now()
    due = NotificationSettings.objects.filter(digest=Digest.DAILY).select_related("user")
    sent = 0
    for row in due:
        user = row.user
        if not user.is_active or not user.email:
            continue
        if row.last_digest_at and row.last_digest_at > now - timedelta(hours=20):
            continue
        found = counts(user, now)
        if not any(found.values()):
            continue
        with translation.override(settings.LANGUAGE_CODE):
            lines = [
                _("Waiting on you in Amends:"),
                _("Approvals to decide: %(n)s") % {"n": found["approvals"]},
                _("Live alerts you own: %(n)s") % {"n": found["alerts"]},
                _("Your promises due today: %(n)s") % {"n": found["promises"]},
                _("Unread mentions and activity: %(n)s") % {"n": found["mentions"]},
                "",
                settings.AMENDS_PUBLIC_URL + reverse("waiting"),
            ]
            subject = _("Amends: %(n)s things wait on you") % {"n": sum(found.values())}
        send_mail(subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, [user.email])
        NotificationSettings.objects.filter(pk=row.pk).update(last_digest_at=now)
        sent += 1
    return sent


@task()
def send_digests() -> dict[str, int]:
    """The daily e-mail of what waits on each colleague who asked for it."""
    return {"sent": digests_send()}


urlpatterns = [
    path("waiting/", waiting_page, name="waiting"),
    path("waiting/badge/", badge, name="waiting_badge"),
    path("waiting/read/", read_all, name="waiting_read"),
    path("waiting/digest/", digest_set, name="waiting_digest"),
    path("waiting/<int:notification_id>/", open_notification, name="waiting_open"),
]
