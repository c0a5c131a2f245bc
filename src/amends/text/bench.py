"""`amends text bench`: what reading one complaint costs, and what training costs, each beside a reference
measured in the same run on the same texts.

- Scoring: flags (normalise + lexicon + negation + judge) and the four suggestions for one complaint, one core,
  beside a bare pass of one compiled regular expression of every lexicon term over the raw text.
- Training: the four-field model on N coded texts, beside scikit-learn's own TfidfVectorizer
  (char_wb, 1–3) fitting the same texts: the vectorising floor any char-n-gram model pays.
Texts: demo-like complaints (the starter texts recombined with varied amounts, days and a second sentence,
some with escalation words) and, for long real Chinese text, the TipDM messages when the file is there.
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import statistics
import time
from collections.abc import Callable

from . import datasets, seed
from .classifier import Classifier, train
from .flags import Lexicon, find_flags
from .starter import examples

EXTRA = (
    "已经打了好几次电话了。", "再不处理我就打12378投诉。", "我不会去曝光的，只想尽快解决。", "这是我第二次投诉了。",
    "请尽快给我答复。", "I will contact my lawyer.", "业务员一直不回消息。", "已经影响到我的正常工作。",
)  # fmt: skip


def synthetic(n: int, rng: random.Random) -> tuple[list[str], dict[str, list[str | None]]]:
    texts, labels, _groups = examples()
    out: list[str] = []
    out_labels: dict[str, list[str | None]] = {f: [] for f in labels}
    for _ in range(n):
        i = rng.randrange(len(texts))
        text = re.sub(r"\d+", lambda _m: str(rng.randrange(2, 9000)), texts[i])
        out.append(f"{text}{rng.choice(EXTRA)}")
        for f, ys in labels.items():
            out_labels[f].append(ys[i])
    return out, out_labels


def _timed(fn: Callable[[str], object], texts: list[str]) -> tuple[list[float], float]:
    """Wall time of each call (µs) and the mean CPU time per call (µs), which the machine's load inflates less."""
    times = []
    cpu = time.process_time()
    for t in texts:
        started = time.perf_counter()
        fn(t)
        times.append((time.perf_counter() - started) * 1e6)
    return times, (time.process_time() - cpu) * 1e6 / len(texts)


def _line(title: str, timed: tuple[list[float], float]) -> str:
    times, cpu = timed
    q = statistics.quantiles(times, n=100)
    return f"  {title:<44} cpu {cpu:8.1f} µs · wall p50 {q[49]:8.1f}  p99 {q[98]:8.1f}"


def run(write: Callable[[str], object], *, train_size: int, texts: int) -> None:
    rng = random.Random(20261123)
    write(f"amends text bench · load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores · one process")
    from .lexicon import judged

    lexicon = judged(seed.terms())  # the shipped lexicon with its judge, as intake reads complaints
    bare = re.compile(
        "|".join(re.escape(r["term"]) for r in seed.rows() if r["kind"] == "trigger" and not r["is_pattern"])
    )

    corpus, labels = synthetic(train_size, rng)
    from sklearn.feature_extraction.text import TfidfVectorizer  # imported before the clocks start

    wall, cpu = time.perf_counter(), time.process_time()
    model = train(corpus, labels, label="bench")
    train_wall, train_cpu = time.perf_counter() - wall, time.process_time() - cpu
    wall, cpu = time.perf_counter(), time.process_time()
    TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), min_df=2).fit_transform(corpus)
    ref_wall, ref_cpu = time.perf_counter() - wall, time.process_time() - cpu
    write(f"Training on {train_size:,} coded texts (4 fields, {len(model.vocabulary):,} features):")
    write(f"  amends model, 4 heads                                wall {train_wall:6.1f} s  cpu {train_cpu:6.1f} s")
    write(f"  reference: sklearn TfidfVectorizer char_wb 1-3 alone wall {ref_wall:6.1f} s  cpu {ref_cpu:6.1f} s")

    samples = {"demo-like complaints": synthetic(texts, rng)[0]}
    with contextlib.suppress(FileNotFoundError):  # the real file is optional outside this project
        samples["TipDM real messages (long)"] = datasets.tipdm().texts[:texts]
    for name, sample in samples.items():
        chars = statistics.fmean(len(t) for t in sample)
        write(f"Reading one complaint · {name}: {len(sample)} texts, {chars:.0f} characters on average")
        _score(write, sample, lexicon, model, bare)


def _score(
    write: Callable[[str], object], sample: list[str], lexicon: Lexicon, model: Classifier, bare: re.Pattern[str]
) -> None:
    for t in sample[:50]:  # warm caches
        find_flags(t, lexicon)
        model.suggest(t)
    write(
        _line(
            "flags + 4 suggestions (what intake runs)",
            _timed(lambda t: (find_flags(t, lexicon), model.suggest(t)), sample),
        )
    )
    write(_line("  of which flags", _timed(lambda t: find_flags(t, lexicon), sample)))
    write(_line("  of which suggestions", _timed(model.suggest, sample)))
    write(_line("reference: one bare regex pass of all terms", _timed(bare.search, sample)))
