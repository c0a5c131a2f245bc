"""How well escalation flags hold on customers' own words: a labelled set of sentences and its scores.

`data/escalation.tsv` holds sentences in simplified and traditional Chinese and in English, most of them
taken from real public texts (TipDM citizen messages, CFPB narratives; the source column names the message),
the rest written to cover threats, negations, hedges and neutral mentions of the same words; each labelled
with the flags it should raise by the rules of thumb in docs/text.md. A third of it (`part` = held) is set
aside: nothing is tuned on it, and `text/tests/test_flag_eval.py` checks its checksum so it cannot change
unnoticed. Scores are precision and recall per flag and language, and micro-averaged over flags.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .flags import FLAGS, Lexicon, find_flags

PATH = Path(__file__).parent / "data" / "escalation.tsv"
LANGUAGES = ("zh-Hans", "zh-Hant", "en")
PARTS = ("held", "tune")


@dataclass(frozen=True)
class Example:
    id: str
    part: str
    lang: str
    flags: frozenset[str]
    source: str
    text: str


def load(path: Path = PATH) -> list[Example]:
    with path.open(encoding="utf-8", newline="") as f:
        return [
            Example(
                r["id"],
                r["part"],
                r["lang"],
                frozenset(x for x in r["flags"].split(",") if x),
                r["source"],
                r["text"],
            )
            for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        ]


def checksum(examples: Iterable[Example]) -> str:
    """SHA-256 of the given examples' ids, labels and texts, in id order."""
    h = hashlib.sha256()
    for e in sorted(examples, key=lambda e: e.id):
        h.update("\t".join([e.id, e.lang, ",".join(sorted(e.flags)), e.text]).encode() + b"\n")
    return h.hexdigest()


@dataclass
class Count:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def add(self, other: Count) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn


@dataclass
class Report:
    examples: int
    cells: dict[tuple[str, str], Count] = field(default_factory=dict)  # (flag, language)
    errors: list[tuple[Example, frozenset[str]]] = field(default_factory=list)  # wrongly read, with what was read

    def flag(self, code: str, lang: str | None = None) -> Count:
        total = Count()
        for (f, language), c in self.cells.items():
            if f == code and lang in (None, language):
                total.add(c)
        return total

    def micro(self, lang: str | None = None) -> Count:
        total = Count()
        for (_, language), c in self.cells.items():
            if lang in (None, language):
                total.add(c)
        return total


def evaluate(examples: Iterable[Example], read: Callable[[str], Iterable[str]]) -> Report:
    """Score `read` (text → the flag codes it raises) against the labels."""
    report = Report(0, {(f, lang): Count() for f in FLAGS for lang in LANGUAGES})
    for e in examples:
        report.examples += 1
        found = frozenset(read(e.text))
        for f in FLAGS:
            cell = report.cells[(f, e.lang)]
            if f in found and f in e.flags:
                cell.tp += 1
            elif f in found:
                cell.fp += 1
            elif f in e.flags:
                cell.fn += 1
        if found != e.flags:
            report.errors.append((e, found))
    return report


def table(report: Report) -> list[str]:
    """Precision/recall (and how many sentences carry the flag) per flag, per language and in all."""

    def cell(c: Count) -> str:
        return f"{c.precision:5.2f} {c.recall:5.2f} {c.tp + c.fn:>4}"

    head = f"{'flag':<15}" + "".join(f" {lang + ' P    R     n':>17}" for lang in (*LANGUAGES, "all"))
    lines = [head]
    for f in FLAGS:
        row = [report.flag(f, lang) for lang in LANGUAGES] + [report.flag(f)]
        lines.append(f"{f:<15}" + "".join(f" {cell(c):>17}" for c in row))
    row = [report.micro(lang) for lang in LANGUAGES] + [report.micro()]
    lines.append(f"{'micro':<15}" + "".join(f" {cell(c):>17}" for c in row))
    return lines


def group(e: Example) -> str:
    """Sentences of one source message (and its traditional copy) stay on one side of a split."""
    return e.id if e.source == "written" else e.source.split(" (")[0].rsplit(".", 1)[0]


def judged(examples: list[Example], lexicon: Lexicon, part: str, folds: int = 5) -> Report:
    """Flags read with the lexicon and the judge, scored on `part` (held, tune or all). The judge that reads a
    held-aside sentence is trained on the whole tuning part; one that reads a tuning sentence, by k-fold
    cross-validation over source messages, never on that sentence's message."""
    from . import judge

    tune = [e for e in examples if e.part == "tune"]
    verdicts: dict[str, frozenset[str]] = {}

    def read_with(model: judge.JudgeModel | None, chosen: Iterable[Example]) -> None:
        for e in chosen:
            verdicts[e.id] = frozenset(f.code for f in find_flags(e.text, lexicon, model))

    if part in ("held", "all"):
        model = judge.train([e.text for e in tune], [e.flags for e in tune], lexicon)
        read_with(model, [e for e in examples if e.part == "held"])
    if part in ("tune", "all"):
        fold_of = {g: int(hashlib.sha256(g.encode()).hexdigest(), 16) % folds for g in {group(e) for e in tune}}
        for k in range(folds):
            train = [e for e in tune if fold_of[group(e)] != k]
            model = judge.train([e.text for e in train], [e.flags for e in train], lexicon)
            read_with(model, [e for e in tune if fold_of[group(e)] == k])
    chosen = [e for e in examples if part in ("all", e.part)]
    by_text = {e.text: verdicts[e.id] for e in chosen}
    return evaluate(chosen, by_text.__getitem__)
