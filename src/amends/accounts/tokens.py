"""API bearer tokens: issued once in clear, stored as a SHA-256 digest, checked with one indexed lookup.

A random 32-byte token needs no slow hash: it cannot be guessed, so a fast digest is as safe as a password
hash would be and costs microseconds per request instead of tens of milliseconds.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import cast

from django.db import transaction
from django.db.models import QuerySet

from amends.core import audit, clock
from amends.core.prepared import Prepared

from .models import ApiToken, User

PREFIX = "amd_"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def token_issue(*, actor: User | None, user: User) -> str:
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(user=user, digest=digest(token), prefix=token[:12], created_at=clock.now())
    audit.record(audit.entry(actor=actor, action="token.issue", obj=row, after={"user": user.pk, "prefix": row.prefix}))
    return token


# Recording every use would add a write to every API call; once an hour is enough to see stale tokens.
LAST_USED_RESOLUTION = timedelta(hours=1)


def _usable(token_digest: str) -> QuerySet[ApiToken]:
    return ApiToken.objects.select_related("user__org_unit").filter(
        digest=token_digest, revoked_at__isnull=True, user__is_active=True
    )


# Every API call looks its token up: the SQL is compiled once per process (core.prepared), not per request.
_USABLE = Prepared(_usable, "token_digest")


def user_for_token(token: str) -> User | None:
    row = cast("ApiToken | None", _USABLE.first(token_digest=digest(token)))
    if row is None:
        return None
    now = clock.now()
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user
