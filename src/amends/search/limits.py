"""A per-person limit on searches: a search matches phone and customer numbers, so nobody may walk through
them. A fixed one-minute window in the shared cache (Redis when several web nodes run)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from amends.accounts.models import User
from amends.core.errors import AmendsError


class SearchRateLimited(AmendsError):
    code = "rate_limited"
    status = 429


def search_allow(actor: User) -> None:
    """Count this search; refuse it beyond `AMENDS_SEARCH_PER_MINUTE` in the current minute."""
    key = f"amends:search:{actor.pk}:{int(time.time() // 60)}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=120)
        count = 1
    if count > settings.AMENDS_SEARCH_PER_MINUTE:
        raise SearchRateLimited(
            _("Too many searches in a minute. Wait a moment and search again."),
            fields={"q": [_("Too many searches in a minute.")]},
        )
