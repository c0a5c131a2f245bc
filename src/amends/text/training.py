"""Training a classifier on the insurer's own coded complaints, and promoting it only when it is better
(`amends text train`).

The examples are complaints with at least one code: business category and touchpoint as they stand on the
complaint (coded at intake, by import, or confirmed from a suggestion) and the cause and dimension staff
confirmed (`ComplaintCode`). Left out by default:
- **imported history** (`Complaint.source`): another system's texts (the Texas import is 281,400 texts of
  one template) describe other customers in other words; `--include-imported` adds them to the training part
  only, never to the part that judges the candidate;
- **template copies**: texts identical once digits, case, spaces and punctuation are set aside count once
  (with their codes), so a template filled in 10,000 times does not outvote the rest.

A fifth of the insurer's own texts (chosen by a hash of the text, so copies stay together) is held out. The
candidate is trained on the rest and compared with the model in use on the held-out texts, per field, by the
share of texts for which it **offers the right code** (top code right and confidence at or above
AMENDS_TEXT_PREFILL_THRESHOLD: a suggestion below it is not offered at all). The candidate replaces the
model in use only when no field is worse by more than `TOLERANCE`, and a field the model in use can suggest
but the candidate cannot counts as worse. `--force` replaces it anyway; the audit entry then records the
comparison and that it was forced. The stored model is the candidate as measured.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from amends.accounts.models import User
from amends.core import audit, clock
from amends.core.errors import RuleViolation
from amends.intake.models import Complaint

from . import store
from .classifier import FIELDS, Classifier, dumps, train
from .datasets import Dataset
from .models import CodeField, ComplaintCode, TextModel
from .normalise import plain
from .starter import examples as starter_examples

MIN_EXAMPLES = 20
HELD_OUT = 5  # one text in five, by hash
MAX_HELD_OUT = 5000  # enough to compare two models; scoring more only costs time
MIN_COMPARED = 10  # fewer held-out examples of a field than this: the field is not compared
TOLERANCE = 0.02  # a candidate this much worse on a field is still "as good" (noise of a small held-out part)
_NOT_WORDS = re.compile(r"[\W_]+")
_DIGITS = re.compile(r"\d+")
_MASKED = re.compile(r"x{2,}")  # CFPB's XXXX, XX/XX/XXXX


def template_key(text: str) -> str:
    """What is left of a text once digits, masks, case, spaces and punctuation are set aside."""
    return _MASKED.sub("x", _DIGITS.sub("0", _NOT_WORDS.sub("", plain(text))))


def coded_complaints(*, include_imported: bool = False) -> Dataset:
    """The insurer's coded complaints as texts and per-field labels (None where a field is not coded), each
    template once; imported history only when asked."""
    confirmed: dict[int, dict[str, str]] = {}
    rows = ComplaintCode.objects.filter(field__in=[CodeField.CAUSE, CodeField.DIMENSION]).values_list(
        "complaint_id", "field", "code"
    )
    for complaint_id, code_field, code in rows.iterator(chunk_size=5000):
        confirmed.setdefault(complaint_id, {})[code_field] = code
    coded = Complaint.objects.filter(~Q(category="") | Q(touchpoint__isnull=False) | Q(pk__in=list(confirmed)))
    left_out: dict[str, int] = {}
    if not include_imported:
        left_out["imported"] = coded.exclude(source="").count()
        coded = coded.filter(source="")
    texts: list[str] = []
    imported: list[bool] = []
    labels: dict[str, list[str | None]] = {f: [] for f in FIELDS}
    seen: set[tuple[str, ...]] = set()
    copies = 0
    complaints = coded.order_by("pk").values_list(
        "pk", "description", "request", "category", "touchpoint__code", "source"
    )
    for pk, description, request, category, touchpoint, source in complaints.iterator(chunk_size=5000):
        text = f"{description}\n{request}"
        codes = confirmed.get(pk, {})
        row = (category or None, touchpoint or None, codes.get("cause"), codes.get("dimension"))
        key = (template_key(text), *(c or "" for c in row))
        if key in seen:
            copies += 1
            continue
        seen.add(key)
        texts.append(text)
        imported.append(bool(source))
        for name, value in zip(FIELDS, row, strict=True):
            labels[name].append(value)
    left_out["template copies"] = copies
    return Dataset("coded", texts, labels, imported=imported, left_out=left_out)


def starter_dataset() -> Dataset:
    texts, labels, groups = starter_examples()
    return Dataset("starter", texts, labels, groups)


@dataclass
class FieldComparison:
    field: str
    examples: int  # held-out texts coded for this field
    candidate: float | None  # share of them with the right code offered; None: the model has no such field
    in_use: float | None

    @property
    def compared(self) -> bool:
        return self.examples >= MIN_COMPARED

    @property
    def worse(self) -> bool:
        if self.in_use is not None and self.candidate is None:
            return True  # the model in use suggests this field; the candidate could not
        if not self.compared or self.in_use is None or self.candidate is None:
            return False
        return self.candidate < self.in_use - TOLERANCE

    def as_dict(self) -> dict[str, object]:
        return {"examples": self.examples, "candidate": self.candidate, "in_use": self.in_use, "worse": self.worse}


@dataclass
class Comparison:
    in_use: str  # the label of the model in use ("starter", "model:7")
    held_out: int
    fields: list[FieldComparison] = field(default_factory=list)

    @property
    def worse(self) -> bool:
        return any(f.worse for f in self.fields)

    @property
    def measured(self) -> bool:
        """Whether any field could be compared at all: a candidate nobody could measure is not promoted."""
        return any(f.compared for f in self.fields) or self.worse

    def as_dict(self) -> dict[str, object]:
        return {
            "in_use": self.in_use,
            "held_out": self.held_out,
            "fields": {f.field: f.as_dict() for f in self.fields},
        }

    def lines(self) -> list[str]:
        out = [f"{'field':<12} {'held out':>8} {'candidate':>10} {self.in_use:>12}  verdict"]
        for f in self.fields:

            def share(v: float | None) -> str:
                return "cannot" if v is None else f"{v:.3f}"

            verdict = "worse" if f.worse else ("not compared" if not f.compared else "as good or better")
            out.append(f"{f.field:<12} {f.examples:>8} {share(f.candidate):>10} {share(f.in_use):>12}  {verdict}")
        return out


def split(dataset: Dataset) -> tuple[list[int], list[int]]:
    """(training, held-out) indices: one own text in HELD_OUT by a hash of its template, imported ones train."""
    imported = dataset.imported or [False] * len(dataset.texts)
    train_at: list[int] = []
    held_at: list[int] = []
    for i, text in enumerate(dataset.texts):
        digest = int(hashlib.sha256(template_key(text).encode()).hexdigest(), 16)
        if not imported[i] and digest % HELD_OUT == 0 and len(held_at) < MAX_HELD_OUT:
            held_at.append(i)
        else:
            train_at.append(i)
    return train_at, held_at


def offered_right(model: Classifier, name: str, texts: list[str], truth: list[str]) -> float | None:
    if name not in model.heads:
        return None
    threshold = settings.AMENDS_TEXT_PREFILL_THRESHOLD
    right = 0
    for text, code in zip(texts, truth, strict=True):
        best, confidence = model.probabilities(text)[name][0]
        right += best == code and confidence >= threshold
    return right / len(texts) if texts else None


def compare(candidate: Classifier, in_use: Classifier, dataset: Dataset, held_at: list[int]) -> Comparison:
    comparison = Comparison(in_use.label, len(held_at))
    for name in FIELDS:
        chosen = [i for i in held_at if dataset.labels.get(name, [None] * len(dataset.texts))[i]]
        texts = [dataset.texts[i] for i in chosen]
        truth = [str(dataset.labels[name][i]) for i in chosen]
        comparison.fields.append(
            FieldComparison(
                name,
                len(chosen),
                offered_right(candidate, name, texts, truth) if texts else _head(candidate, name),
                offered_right(in_use, name, texts, truth) if texts else _head(in_use, name),
            )
        )
    return comparison


def _head(model: Classifier, name: str) -> float | None:
    """With nothing to measure a field on, only whether the model can suggest it: 0.0 if so, None if not."""
    return 0.0 if name in model.heads else None


@dataclass
class Trained:
    row: TextModel
    examples: dict[str, int]
    seconds: float
    comparison: Comparison | None = None
    forced: bool = False


class CandidateWorse(RuleViolation):
    def __init__(self, comparison: Comparison, detail: str) -> None:
        super().__init__(detail, code="candidate_worse")
        self.comparison = comparison


def model_train(*, actor: User | None, dataset: Dataset, trained_by: str, force: bool = False) -> Trained:
    """Train on `dataset` and, when it is as good as the model in use on held-out texts (or `force`), store it
    as the one every process uses from now on. The starter set is stored without a comparison (it is what a
    new install starts from)."""
    examples = {f: sum(1 for y in ys if y) for f, ys in dataset.labels.items()}
    if sum(1 for t in dataset.texts if t.strip()) < MIN_EXAMPLES or not any(examples.values()):
        raise RuleViolation(
            f"Only {len(dataset.texts)} coded complaints: at least {MIN_EXAMPLES} are needed to train. "
            "The starter model stays in use.",
            code="too_few_examples",
        )
    started = time.perf_counter()
    min_df = 1 if dataset.name == "starter" else 2
    comparison = None
    if dataset.name == "starter":
        model = train(dataset.texts, dataset.labels, label="trained", min_df=min_df)
    else:
        train_at, held_at = split(dataset)
        labels = {f: [ys[i] for i in train_at] for f, ys in dataset.labels.items()}
        model = train([dataset.texts[i] for i in train_at], labels, label="candidate", min_df=min_df)
        comparison = compare(model, store.current(), dataset, held_at)
        if comparison.worse or not comparison.measured:
            _refused(actor, dataset, comparison, force)
    blob = dumps(model)
    seconds = time.perf_counter() - started
    after: dict[str, object] = {"examples": examples, "dataset": dataset.name, "bytes": len(blob)}
    if dataset.left_out:
        after["left_out"] = dataset.left_out
    if comparison is not None:
        after["comparison"] = comparison.as_dict()
        after["forced"] = force and (comparison.worse or not comparison.measured)
    with transaction.atomic():
        row = TextModel.objects.create(
            trained_at=clock.now(),
            trained_by=trained_by,
            examples=examples,
            seconds=round(seconds, 3),
            blob=blob,
            evaluation=after.get("comparison") or {},
        )
        audit.record(audit.entry(actor=actor, action="text.model_train", obj=row, after=after))
    store.forget()
    return Trained(row, examples, seconds, comparison, bool(after.get("forced")))


def _refused(actor: User | None, dataset: Dataset, comparison: Comparison, force: bool) -> None:
    """Refuse a candidate that is worse (or that nothing could measure) unless forced; the refusal is audited."""
    if force:
        return
    why = (
        "worse than the model in use on held-out texts"
        if comparison.worse
        else "not measurable: too few held-out texts of this insurer's own"
    )
    # The model kept is the subject: a TextModel row, or the starter (a row not saved, its id "starter").
    kept = TextModel(pk=int(comparison.in_use.split(":")[1])) if comparison.in_use.startswith("model:") else None
    row = audit.entry(
        actor=actor,
        action="text.model_refused",
        obj=kept or TextModel(),
        after={"dataset": dataset.name, "left_out": dataset.left_out, "comparison": comparison.as_dict()},
    )
    row.object_id = row.object_id if kept else "starter"
    with transaction.atomic():
        audit.record(row)
    raise CandidateWorse(
        comparison,
        f"The candidate model is {why}; {comparison.in_use} stays in use (--force replaces it anyway).",
    )
