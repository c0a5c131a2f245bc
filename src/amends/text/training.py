"""Training a classifier on the insurer's own coded complaints and storing it (`amends text train`).

The examples are every complaint with at least one code: its business category and touchpoint as they
stand on the complaint (coded at intake, by import, or confirmed from a suggestion) and the cause and
dimension staff confirmed (`ComplaintCode`). Read in one streamed query each, trained in memory, stored as
one `TextModel` row; every process picks it up within AMENDS_TEXT_CHECK_SECONDS.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from amends.accounts.models import User
from amends.core import audit, clock
from amends.core.errors import RuleViolation
from amends.intake.models import Complaint

from . import store
from .classifier import FIELDS, dumps, train
from .datasets import Dataset
from .models import CodeField, ComplaintCode, TextModel
from .starter import examples as starter_examples

MIN_EXAMPLES = 20


def coded_complaints() -> Dataset:
    """The insurer's coded complaints as texts and per-field labels (None where a field is not coded)."""
    confirmed: dict[int, dict[str, str]] = {}
    rows = ComplaintCode.objects.filter(field__in=[CodeField.CAUSE, CodeField.DIMENSION]).values_list(
        "complaint_id", "field", "code"
    )
    for complaint_id, field, code in rows.iterator(chunk_size=5000):
        confirmed.setdefault(complaint_id, {})[field] = code
    texts: list[str] = []
    labels: dict[str, list[str | None]] = {f: [] for f in FIELDS}
    complaints = (
        Complaint.objects.filter(~Q(category="") | Q(touchpoint__isnull=False) | Q(pk__in=list(confirmed)))
        .order_by("pk")
        .values_list("pk", "description", "request", "category", "touchpoint__code")
    )
    for pk, description, request, category, touchpoint in complaints.iterator(chunk_size=5000):
        texts.append(f"{description}\n{request}")
        codes = confirmed.get(pk, {})
        labels["category"].append(category or None)
        labels["touchpoint"].append(touchpoint or None)
        labels["cause"].append(codes.get("cause"))
        labels["dimension"].append(codes.get("dimension"))
    return Dataset("coded", texts, labels)


def starter_dataset() -> Dataset:
    texts, labels, groups = starter_examples()
    return Dataset("starter", texts, labels, groups)


@dataclass
class Trained:
    row: TextModel
    examples: dict[str, int]
    seconds: float


def model_train(*, actor: User | None, dataset: Dataset, trained_by: str) -> Trained:
    """Train on `dataset` and store the model as the one every process uses from now on."""
    examples = {f: sum(1 for y in ys if y) for f, ys in dataset.labels.items()}
    if sum(1 for t in dataset.texts if t.strip()) < MIN_EXAMPLES or not any(examples.values()):
        raise RuleViolation(
            f"Only {len(dataset.texts)} coded complaints: at least {MIN_EXAMPLES} are needed to train. "
            "The starter model stays in use.",
            code="too_few_examples",
        )
    started = time.perf_counter()
    model = train(dataset.texts, dataset.labels, label="trained", min_df=1 if dataset.name == "starter" else 2)
    blob = dumps(model)
    seconds = time.perf_counter() - started
    with transaction.atomic():
        row = TextModel.objects.create(
            trained_at=clock.now(), trained_by=trained_by, examples=examples, seconds=round(seconds, 3), blob=blob
        )
        audit.record(
            audit.entry(
                actor=actor,
                action="text.model_train",
                obj=row,
                after={"examples": examples, "dataset": dataset.name, "bytes": len(blob)},
            )
        )
    store.forget()
    return Trained(row, examples, seconds)
