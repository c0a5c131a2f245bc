"""Shared steps for follow-up tests: file a portal complaint, take a case to the follow-up, send its survey."""

from __future__ import annotations

import re
from typing import Any

from django.core import mail
from django.test import Client, TestCase

from amends.correspondence import sms
from amends.followup.models import Survey
from amends.followup.services import surveys_sweep
from amends.intake.services import complaint_decide
from amends.recovery.services import step_record

FORM = {
    "name": "周敏",
    "phone": "13612345678",
    "email": "",
    "contact_preference": "sms",
    "policy_no": "",
    "claim_no": "",
    "description": "理赔款说好三天到账，已经过了一周还没有收到。",
    "request": "尽快支付赔款，并告诉我确切的到账时间。",
    "website": "",
}


def portal_post(client: Client, address: str = "203.0.113.7", **changes: Any):
    """Post the portal form; messages queued for after the commit are sent (tests run inside a transaction)."""
    data = {**FORM, "idempotency_key": changes.pop("idempotency_key", None) or _key(), **changes}
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post("/complain/", data, REMOTE_ADDR=address)


_n = [0]


def _key() -> str:
    _n[0] += 1
    return f"test-key-{_n[0]}"


def status_path(response) -> str:
    match = re.search(r'href="https?://[^"/]+(/complain/status/[^"]+/)"', response.content.decode())
    assert match, "no status link on the acknowledgement page"
    return match.group(1)


def to_follow_up(actor, case_id: int) -> None:
    """Record apology → atonement and decide every complaint, as a handler would."""
    from amends.intake.models import Complaint

    for step in ("apology", "fix", "empathy", "atonement"):
        step_record(actor=actor, case_id=case_id, step=step, note=f"{step} done")
    for complaint_id in Complaint.objects.filter(case_id=case_id, decided_at=None).values_list("pk", flat=True):
        complaint_decide(actor=actor, complaint_id=complaint_id, decision="同意赔付，三日内到账。")


def survey_link(survey: Survey) -> str:
    """The link as the customer received it (email or text message), path only."""
    texts = [m.body for m in mail.outbox] + [s.text for s in sms.outbox]
    found = [t for t in texts if f"/survey/{survey.pk}:" in t]
    assert found, "the survey link was not sent"
    return re.search(r"https?://[^/\s]+(/survey/\S+/)", found[-1]).group(1)


def send_surveys(**kw: Any):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return surveys_sweep(**kw)
