"""`POST /api/v1/inbound/email`: the mail relay hands over each mail that reached the insurer's reply address
(e.g. a Postfix pipe or an inbound-mail service), as the raw RFC 822 message, base64-encoded. Integration
(admin) tokens only."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from amends.accounts.access import require
from amends.accounts.http import actor_of
from amends.accounts.models import Role
from amends.core.errors import InvalidInput
from amends.core.schemas import Out

from .services.inbound import email_receive, parse

router = Router(tags=["inbound"])
RELAYS_MAIL = {Role.ADMIN}
MAX_BYTES = 30 * 1024 * 1024


class InboundCaseOut(Out):
    id: int
    reference: str


class InboundOut(Out):
    """What became of the mail: `threaded` to a case, `opened` a complaint, or a `duplicate` already kept."""

    result: str
    case: InboundCaseOut
    complaint: int | None
    message: int


class InboundIn(Schema):
    raw: str = Field(..., description="The whole message as received (RFC 822), base64")


@router.post("/inbound/email", response={201: InboundOut, 200: InboundOut})
def inbound_email(request: HttpRequest, payload: InboundIn) -> Any:
    """Thread the mail to the case it names when it comes from that customer's address on file; otherwise
    open a complaint of its own. Answers `{"result": "threaded"|"opened"|"duplicate", "case", "message"}`
    (200 for a duplicate, 201 otherwise)."""
    require(actor_of(request), RELAYS_MAIL)
    try:
        raw = base64.b64decode(payload.raw, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidInput(_("The message is not valid base64."), fields={"raw": [_("Not base64.")]}) from exc
    if len(raw) > MAX_BYTES:
        raise InvalidInput(_("The message is too large."), fields={"raw": [_("Too large.")]})
    result, message = email_receive(mail=parse(raw))
    case = message.case
    answer = {
        "result": result,
        "case": {"id": case.pk, "reference": case.reference},
        "complaint": message.complaint_id,
        "message": message.pk,
    }
    return Status(200 if result == "duplicate" else 201, answer)
