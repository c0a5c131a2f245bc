"""How well suggestions work, measured honestly: stratified k-fold cross-validation of the classifier beside
two baselines computed on the same folds.

- majority: always the most frequent class of the training folds.
- keyword: per class, the n-grams whose document frequency in that class most exceeds their frequency in
  the other classes (top `KEYWORDS`, learned from the training folds only); a text gets the class with the
  most keyword hits, the majority class when none hits.
Predictions of all folds are pooled, then precision, recall and F1 are computed per class.
"""

from __future__ import annotations

import time
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field as default

import numpy as np

from .classifier import ngrams, train

KEYWORDS = 10


@dataclass
class Scores:
    accuracy: float
    macro_f1: float
    per_class: dict[str, tuple[float, float, float, int]]  # precision, recall, F1, support


@dataclass
class Evaluation:
    field: str
    examples: int
    classes: int
    folds: int
    model: Scores
    majority: Scores
    keyword: Scores
    seconds: float
    train_seconds: list[float] = default(default_factory=list)


def scores(truth: Sequence[str], predicted: Sequence[str]) -> Scores:
    from sklearn.metrics import precision_recall_fscore_support

    labels = sorted(set(truth))
    p, r, f, s = precision_recall_fscore_support(truth, predicted, labels=labels, zero_division=0)
    per_class = {c: (float(p[i]), float(r[i]), float(f[i]), int(s[i])) for i, c in enumerate(labels)}
    accuracy = float(np.mean([a == b for a, b in zip(truth, predicted, strict=True)]))
    return Scores(accuracy, float(np.mean(f)), per_class)


def keyword_baseline(texts: Sequence[str], labels: Sequence[str]) -> dict[str, list[str]]:
    """The KEYWORDS most distinctive n-grams of each class (2 characters or longer, or whole words)."""
    docs = [set(g for g in ngrams(t) if len(g.strip()) >= 2) for t in texts]
    per_class: dict[str, Counter[str]] = {}
    total: Counter[str] = Counter()
    sizes = Counter(labels)
    for grams, label in zip(docs, labels, strict=True):
        per_class.setdefault(label, Counter()).update(grams)
        total.update(grams)
    n = len(labels)
    keywords = {}
    for label, counts in per_class.items():
        inside, outside = sizes[label], max(n - sizes[label], 1)

        def lift(g: str, counts: Counter[str] = counts, inside: int = inside, outside: int = outside) -> float:
            return counts[g] / inside - (total[g] - counts[g]) / outside

        keywords[label] = sorted(counts, key=lambda g: (-lift(g), g))[:KEYWORDS]
    return keywords


def keyword_predict(keywords: dict[str, list[str]], text: str, fallback: str, order: list[str]) -> str:
    grams = set(ngrams(text))
    hits = {label: sum(1 for k in ks if k in grams) for label, ks in keywords.items()}
    best = max(hits.values(), default=0)
    if best == 0:
        return fallback
    return next(label for label in order if hits.get(label) == best)


def cross_validate(
    texts: Sequence[str],
    labels: Sequence[str | None],
    *,
    field: str,
    folds: int = 5,
    groups: Sequence[int] | None = None,
) -> Evaluation:
    """`groups`: texts that are variants of one another stay in the same fold."""
    from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

    started = time.perf_counter()
    keep = [i for i, y in enumerate(labels) if y]
    x = np.array([texts[i] for i in keep], dtype=object)
    y = np.array([labels[i] for i in keep], dtype=object)
    model_pred = np.empty(len(y), dtype=object)
    majority_pred = np.empty(len(y), dtype=object)
    keyword_pred = np.empty(len(y), dtype=object)
    train_seconds = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # a class rarer than the folds: stratified as well as it can
        if groups is None:
            splits = list(StratifiedKFold(folds, shuffle=True, random_state=0).split(x, y))
        else:
            g = np.array([groups[i] for i in keep])
            splits = list(StratifiedGroupKFold(folds, shuffle=True, random_state=0).split(x, y, g))
    for train_at, test_at in splits:
        tx, ty = list(x[train_at]), list(y[train_at])
        t0 = time.perf_counter()
        model = train(tx, {field: ty})
        train_seconds.append(time.perf_counter() - t0)
        head = model.heads[field]
        for i in test_at:
            model_pred[i] = model.probabilities(x[i])[field][0][0] if head else None
        by_size = [c for c, _ in Counter(ty).most_common()]
        majority = by_size[0]
        majority_pred[test_at] = majority
        keywords = keyword_baseline(tx, ty)
        for i in test_at:
            keyword_pred[i] = keyword_predict(keywords, x[i], majority, by_size)
    truth = list(y)
    return Evaluation(
        field=field,
        examples=len(y),
        classes=len(set(truth)),
        folds=folds,
        model=scores(truth, list(model_pred)),
        majority=scores(truth, list(majority_pred)),
        keyword=scores(truth, list(keyword_pred)),
        seconds=time.perf_counter() - started,
        train_seconds=train_seconds,
    )
