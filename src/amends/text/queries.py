"""Reads of text intelligence: the `flags` and `suggested` of a complaint's API answer (DESIGN §5) and of
its case (the case page and `GET /api/v1/cases/{id}`), in two queries per case, never one per complaint.

A suggestion below AMENDS_TEXT_PREFILL_THRESHOLD is not offered (`null`): nothing is pre-filled from a guess.
The threshold is applied here, when read, so changing it changes what is shown without re-reading texts.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings

from amends.accounts.models import User
from amends.core import batch
from amends.intake.models import Complaint
from amends.recovery.models import Case, CaseStatus
from amends.recovery.rules import Episode
from amends.recovery.services import RelatedCase

from .classifier import FIELDS
from .models import CodeField, ComplaintCode, ComplaintText, FlagCode, LexiconTerm, TermKind, TextModel
from .similarity import THRESHOLD, jaccard, shingles

# The customer's most recent complaints compared at most (an indexed read of one customer's last 30 days).
MAX_CANDIDATES = 50


def public_flags(flags: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"code": f["code"], "evidence": f["evidence"]} for f in flags]


def offered(suggested: dict[str, Any]) -> dict[str, Any]:
    """The contract's `suggested`: each field's code and confidence, or None below the threshold."""
    threshold = settings.AMENDS_TEXT_PREFILL_THRESHOLD
    out: dict[str, Any] = {}
    for name in FIELDS:
        s = suggested.get(name)
        out[name] = {"code": s["code"], "confidence": s["confidence"]} if s and s["confidence"] >= threshold else None
    return out


def _reading(complaint: Complaint) -> ComplaintText | None:
    # The reverse accessor: the reading `complaint_read` just made (no query at intake), else one query for
    # both keys of the answer.
    try:
        return complaint.text
    except ComplaintText.DoesNotExist:
        return None


def complaint_flags(complaint: Complaint) -> list[dict[str, Any]]:
    reading = _reading(complaint)
    return public_flags(reading.flags) if reading else []


def complaint_suggested(complaint: Complaint) -> dict[str, Any]:
    reading = _reading(complaint)
    return offered(reading.suggested) if reading else {}


def _readings(case: Case) -> list[ComplaintText]:
    rows = ComplaintText.objects.filter(complaint__case=case).order_by("complaint__received_at", "complaint_id")
    return list(rows)


def case_flags(actor: User, case: Case) -> list[dict[str, Any]]:
    """Every flag raised by the case's complaints, oldest complaint first, with the complaint it came from."""
    return [{**f, "complaint": r.complaint_id} for r in _readings(case) for f in public_flags(r.flags)]


def case_suggested(actor: User, case: Case) -> dict[str, Any]:
    """The suggestions for the complaint that opened the case (the first one)."""
    readings = _readings(case)
    return offered(readings[0].suggested) if readings else {}


# What staff code on a complaint: the fields the classifier suggests, and the quality gap, the regulator's
# reason and product line (never suggested).
CODED = (*FIELDS, CodeField.GAP.value, CodeField.REASON.value, CodeField.PRODUCT_LINE.value)


def case_coding(actor: User, case: Case) -> list[dict[str, Any]]:
    """Per complaint and field: the suggestion (offered or not), its raw confidence, and the confirmed code."""
    readings = _readings(case)
    codes = {
        (c.complaint_id, c.field): c for c in ComplaintCode.objects.filter(complaint__case=case).select_related("actor")
    }
    out = []
    for r in readings:
        shown = offered(r.suggested)
        fields = []
        for name in CODED:
            confirmed = codes.get((r.complaint_id, name))
            raw = r.suggested.get(name) or {}
            fields.append(
                {
                    "field": name,
                    "suggested": shown.get(name),
                    "best_guess": raw.get("code"),
                    "confidence": raw.get("confidence"),
                    "code": confirmed.code if confirmed else None,
                    "outcome": confirmed.outcome if confirmed else None,
                    "by": str(confirmed.actor) if confirmed else None,
                    "at": confirmed.at if confirmed else None,
                }
            )
        out.append({"complaint": r.complaint_id, "model": r.model, "fields": fields})
    trained = {int(r.model.split(":")[1]) for r in readings if r.model.startswith("model:")}
    if trained:
        rows = dict(TextModel.objects.filter(pk__in=trained).values_list("pk", "trained_at"))
        for c in out:
            if str(c["model"]).startswith("model:"):
                model_id = int(str(c["model"]).split(":")[1])
                c["model_id"], c["model_trained_at"] = model_id, rows.get(model_id)
    return out


def _candidates(customer_id: int, since: datetime, at: datetime) -> Any:
    return (
        Complaint.objects.filter(customer_id=customer_id, received_at__gte=since, received_at__lte=at)
        .exclude(case__status=CaseStatus.CLOSED)
        .order_by("-received_at")
        .values("pk", "case_id", "case__episode_key", "description", "request", "received_at")[:MAX_CANDIDATES]
    )


class SimilarOpenCase:
    """The customer's open case holding the complaint most like this one, received since `since`, when the two
    are near-duplicates (character 3-gram Jaccard ≥ similarity.THRESHOLD): a relator of recovery's case opening.
    Only the customer's own complaints are compared: two customers writing alike are two people (and see nothing
    of each other).
    A complaint naming a claim or policy is never joined by its words to a case about another one.
    Its rows are read with the customer's cases (`read`, compiled once per process), then compared (`decide`)."""

    name = "similar_text"
    _kept = batch.KeptWith(_candidates, customer_id=int, since=datetime, at=datetime)

    def read(self, *, customer_id: int, at: datetime, since: datetime) -> batch.Bound:
        return self._kept.bind(customer_id=customer_id, since=since, at=at)

    def decide(self, rows: list[dict[str, Any]], *, words: str, episode: Episode) -> RelatedCase | None:
        grams = shingles(words)
        if not grams:
            return None
        best: tuple[float, dict[str, Any]] | None = None
        for row in rows:
            theirs = Episode.from_key(row["case__episode_key"])
            if episode.names_a_claim_or_policy and theirs.names_a_claim_or_policy and episode != theirs:
                continue
            score = jaccard(grams, shingles(f"{row['description']}\n{row['request']}"))
            if score >= THRESHOLD and (best is None or score > best[0]):
                best = (score, row)
        if best is None:
            return None
        score, row = best
        reference = Complaint(pk=row["pk"], received_at=row["received_at"]).reference
        return RelatedCase(
            row["case_id"],
            "similar_text",
            {"complaint": row["pk"], "reference": reference, "similarity": round(score, 2)},
        )


similar_open_case = SimilarOpenCase()


def lexicon_groups() -> list[dict[str, Any]]:
    """The lexicon page: each flag with its terms, then the negation cues; active terms first, A–Z."""
    rows = list(LexiconTerm.objects.order_by("-active", "term"))
    groups: list[dict[str, Any]] = [
        {"code": code, "label": label, "terms": [r for r in rows if r.kind == TermKind.TRIGGER and r.flag == code]}
        for code, label in FlagCode.choices
    ]
    groups.append(
        {
            "code": "negation",
            "label": TermKind.NEGATION.label,
            "terms": [r for r in rows if r.kind == TermKind.NEGATION],
        }
    )
    return groups
