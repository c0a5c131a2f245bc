"""Internal notes on a case, @mentions and followers: writing a note (`note_add`) notifies the colleagues it
names who may see the case and everyone following it; the customer's own messages notify the owner and the
followers (`followers_notify`); `case_follow` and `notifications_read` change what one colleague hears of.
Notes are staff-only: no page or message shown to the customer reads them.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from amends.accounts.access import in_scope
from amends.accounts.models import User
from amends.core import audit, clock
from amends.core.errors import InvalidInput
from amends.recovery.models import Case, TimelineKind
from amends.recovery.services import timeline_add

from . import rules
from .models import Follower, Message, Note, Notification, NotificationKind

MAX_NOTE = 10000


@transaction.atomic
def note_add(*, actor: User, case: Case, body: str) -> tuple[Note, list[User]]:
    """Keep an internal note on the case; returns it and the colleagues it notified by name. The author follows
    the case from now on."""
    body = body.strip()
    if not body:
        raise InvalidInput(_("Write the note."), fields={"body": [_("Required.")]})
    if len(body) > MAX_NOTE:
        raise InvalidInput(
            _("The note is too long."), fields={"body": [_("At most %(n)s characters.") % {"n": MAX_NOTE}]}
        )
    now = clock.now()
    note = Note.objects.create(case=case, author=actor, body=body, created_at=now)
    names = rules.mentioned_names(body)
    candidates = (
        User.objects.filter(is_active=True)
        .filter(Q(username__in=names) | Q(display_name__in=names))
        .exclude(pk=actor.pk)
        .select_related("org_unit")
        if names
        else User.objects.none()
    )
    # Only colleagues who may see the case hear of it: a note must not leak a case out of its scope.
    mentioned = [u for u in candidates if in_scope(u, case.org_unit_id)]
    audit.record(
        audit.entry(
            actor=actor, action="note.add", obj=note, after={"case": case.pk, "mentioned": [u.pk for u in mentioned]}
        )
    )
    timeline_add(case, TimelineKind.NOTE, actor=actor, text=body, data={"note": note.pk}, at=now)
    rows = [
        Notification(user=u, kind=NotificationKind.MENTION, case=case, note=note, actor=actor, created_at=now)
        for u in mentioned
    ]
    told = {u.pk for u in mentioned} | {actor.pk}
    rows += [
        Notification(user_id=uid, kind=NotificationKind.NOTE, case=case, note=note, actor=actor, created_at=now)
        for uid in Follower.objects.filter(case=case).exclude(user_id__in=told).values_list("user_id", flat=True)
    ]
    Notification.objects.bulk_create(rows)
    Follower.objects.get_or_create(case=case, user=actor, defaults={"created_at": now})
    return note, mentioned


def followers_notify(case: Case, message: Message) -> int:
    """The customer wrote: tell the case's owner and its followers (in the caller's transaction)."""
    users = set(Follower.objects.filter(case=case).values_list("user_id", flat=True))
    if case.owner_id:
        users.add(case.owner_id)
    now = clock.now()
    Notification.objects.bulk_create(
        Notification(user_id=uid, kind=NotificationKind.MESSAGE, case=case, message=message, created_at=now)
        for uid in sorted(users)
    )
    return len(users)


@transaction.atomic
def case_follow(*, actor: User, case: Case, follow: bool) -> bool:
    """Follow or stop following the case; returns whether the actor follows it now."""
    if follow:
        _row, created = Follower.objects.get_or_create(case=case, user=actor, defaults={"created_at": clock.now()})
        changed = created
    else:
        changed = Follower.objects.filter(case=case, user=actor).delete()[0] > 0
    if changed:
        audit.record(audit.entry(actor=actor, action="case.follow" if follow else "case.unfollow", obj=case))
    return follow


def notifications_read(*, actor: User, case_id: int | None = None) -> int:
    """Mark the actor's unread notifications read (those of one case, or all); returns how many."""
    unread = Notification.objects.filter(user=actor, read_at__isnull=True)
    if case_id is not None:
        unread = unread.filter(case_id=case_id)
    return unread.update(read_at=clock.now())
