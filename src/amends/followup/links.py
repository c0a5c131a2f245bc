"""The customer's two kinds of private link, and why they differ.

- The status link of a portal complaint is shown once, at submission: a random 32-byte token kept only as
  its SHA-256 digest (like `accounts.tokens`), so the database cannot hand it to anyone, and it carries
  nothing (no id) a stranger could learn from.
- A survey link is sent, then sent again by each reminder: it is signed (HMAC with SECRET_KEY, its own salt)
  over the survey id, so the same link can be rebuilt for a reminder without storing it; forging one needs
  the key. Expiry and being spent are read from the survey row, where they can change.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core import signing
from django.urls import reverse

SURVEY_SALT = "amends.followup.survey"


def new_token() -> tuple[str, str]:
    """A fresh status token and the digest to store."""
    token = secrets.token_urlsafe(32)
    return token, digest(token)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def keyed(value: str) -> str:
    """A keyed digest for rate-limit keys (client address, phone): comparable, not reversible without the key."""
    return hashlib.blake2b(value.strip().lower().encode(), key=settings.SECRET_KEY.encode()[:64]).hexdigest()[:64]


def survey_token(survey_id: int) -> str:
    return signing.Signer(salt=SURVEY_SALT).sign(str(survey_id))


def survey_id_of(token: str) -> int | None:
    try:
        return int(signing.Signer(salt=SURVEY_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None


def absolute(path: str) -> str:
    return settings.AMENDS_PUBLIC_URL + path


def status_url(token: str) -> str:
    return absolute(reverse("portal_status", kwargs={"token": token}))


def survey_url(survey_id: int) -> str:
    return absolute(reverse("survey", kwargs={"token": survey_token(survey_id)}))
