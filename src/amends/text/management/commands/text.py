"""`amends text train|eval|bench`: train the classifier that suggests codes, prove it, time it.

- `train`: on this insurer's coded complaints (or `--starter`: the demo texts); stored for every process only
  when it is as good as the model in use on held-out texts (`--force` overrides, audited).
- `eval --dataset coded|starter|tipdm|cfpb-product|cfpb-issue`: per-class precision, recall and F1 by
  stratified cross-validation beside a majority-class and a keyword baseline (`text.evaluation`);
  `--dataset escalation`: the flags' precision and recall per flag and language (`text.flag_eval`).
- `bench`: flags and suggestions per complaint beside a bare regex pass, and training on N coded texts.
"""

from __future__ import annotations

import argparse
import dataclasses
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from amends.core.errors import AmendsError

from ... import datasets, flag_eval, training
from ...classifier import FIELDS
from ...evaluation import Evaluation, Scores, cross_validate

DATASETS = ("coded", "starter", *datasets.REAL, "escalation")


class Command(BaseCommand):
    help = "Train, evaluate and time the complaint-text classifier: amends text train|eval|bench"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="train|eval|bench")
        t = sub.add_parser("train", help="train on this insurer's coded complaints and use the model from now on")
        t.add_argument("--starter", action="store_true", help="train on the demo insurer's texts instead")
        t.add_argument(
            "--include-imported",
            action="store_true",
            help="train on imported history too (left out by default; never used to judge the candidate)",
        )
        t.add_argument(
            "--force", action="store_true", help="use the candidate even when it is worse than the model in use"
        )
        e = sub.add_parser("eval", help="cross-validated precision/recall/F1 beside two baselines")
        e.add_argument("--dataset", choices=DATASETS, default="coded")
        e.add_argument("--field", choices=[*FIELDS, "all"], default="all", help="for coded and starter data")
        e.add_argument("--folds", type=int, default=5, choices=range(2, 11), metavar="2..10")
        e.add_argument(
            "--part",
            choices=[*flag_eval.PARTS, "all"],
            default="held",
            help="escalation: the held-aside third (default), the tuning part or all",
        )
        e.add_argument(
            "--lexicon",
            choices=["db", "shipped"],
            default="db",
            help="escalation: the lexicon as quality managers keep it (default) or as shipped",
        )
        e.add_argument("--errors", action="store_true", help="escalation: list the sentences read wrongly")
        e.add_argument(
            "--no-judge", dest="judge", action="store_false", help="escalation: the lexicon alone, without the judge"
        )
        b = sub.add_parser("bench", help="time flags+suggestions per complaint and training")
        b.add_argument("--train-size", type=int, default=100_000, help="coded texts to train on (default 100000)")
        b.add_argument("--texts", type=int, default=2000, help="complaints to score (default 2000)")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            getattr(self, f"_{opts['action']}")(opts)
        except AmendsError as exc:
            raise CommandError(exc.detail) from exc
        except FileNotFoundError as exc:
            raise CommandError(f"Dataset file not found: {exc.filename} (set AMENDS_REAL_DATA_DIR)") from exc

    def _train(self, opts: dict[str, Any]) -> None:
        if opts["starter"]:
            dataset = training.starter_dataset()
        else:
            dataset = training.coded_complaints(include_imported=opts["include_imported"])
        w = self.stdout.write
        if dataset.left_out:
            w("Left out: " + ", ".join(f"{n} {why}" for why, n in dataset.left_out.items()))
        try:
            result = training.model_train(
                actor=None, dataset=dataset, trained_by="amends text train", force=opts["force"]
            )
        except training.CandidateWorse as exc:
            w("Candidate against the model in use, share of held-out texts offered the right code:")
            for line in exc.comparison.lines():
                w("  " + line)
            raise
        if result.comparison is not None:
            w("Candidate against the model in use, share of held-out texts offered the right code:")
            for line in result.comparison.lines():
                w("  " + line)
        counts = ", ".join(f"{f} {n}" for f, n in result.examples.items())
        forced = " (forced: it was not better)" if result.forced else ""
        w(
            f"Trained model {result.row.pk} on {len(dataset.texts)} {dataset.name} texts ({counts}) "
            f"in {result.seconds:.1f} s{forced}; every process uses it from now on."
        )

    def _eval(self, opts: dict[str, Any]) -> None:
        name = opts["dataset"]
        if name == "escalation":
            return self._eval_flags(opts)
        if name in datasets.REAL:
            dataset = datasets.real(name)
        else:
            dataset = training.coded_complaints() if name == "coded" else training.starter_dataset()
        fields = [f for f in dataset.labels if opts["field"] in ("all", f)]
        if name == "coded" and len(dataset.texts) < training.MIN_EXAMPLES:
            raise CommandError(
                f"Only {len(dataset.texts)} coded complaints here: nothing to evaluate. "
                "Try --dataset starter, tipdm, cfpb-product or cfpb-issue."
            )
        for f in fields:
            labelled = sum(1 for y in dataset.labels[f] if y)
            if len({y for y in dataset.labels[f] if y}) < 2 or labelled < opts["folds"] * 2:
                self.stdout.write(f"{name} · {f}: too few coded examples ({labelled}) to evaluate.\n")
                continue
            self._report(
                name,
                cross_validate(dataset.texts, dataset.labels[f], field=f, folds=opts["folds"], groups=dataset.groups),
            )

    def _eval_flags(self, opts: dict[str, Any]) -> None:
        from ... import lexicon, seed
        from ...flags import compile_lexicon, find_flags

        lex = compile_lexicon(seed.terms()) if opts["lexicon"] == "shipped" else lexicon.current()
        examples = flag_eval.load()
        if opts["judge"]:
            report = flag_eval.judged(examples, lex, opts["part"])
        else:
            plain = dataclasses.replace(lex, judge=None)
            chosen = [e for e in examples if opts["part"] in ("all", e.part)]
            report = flag_eval.evaluate(chosen, lambda text: [f.code for f in find_flags(text, plain)])
        w = self.stdout.write
        how = "lexicon and judge" if opts["judge"] else "lexicon alone"
        w(f"escalation · {opts['part']} part: {report.examples} sentences · {how} · lexicon {opts['lexicon']}")
        w("precision, recall and sentences carrying the flag (n), per language and in all")
        for line in flag_eval.table(report):
            w(line)
        if opts["errors"]:
            for e, found in report.errors:
                want, got = ",".join(sorted(e.flags)) or "-", ",".join(sorted(found)) or "-"
                w(f"{e.id} {e.lang} want {want} got {got}: {e.text}")

    def _report(self, name: str, ev: Evaluation) -> None:
        w = self.stdout.write
        w(f"\n{name} · {ev.field}: {ev.examples} texts, {ev.classes} classes, {ev.folds}-fold stratified CV")
        w(f"{'class':<44} {'support':>7} {'P':>6} {'R':>6} {'F1':>6}   {'keyword F1':>10} {'majority F1':>11}")
        for label, (p, r, f1, support) in sorted(ev.model.per_class.items(), key=lambda kv: -kv[1][3]):
            kw, mj = ev.keyword.per_class[label][2], ev.majority.per_class[label][2]
            w(f"{label[:44]:<44} {support:>7} {p:>6.3f} {r:>6.3f} {f1:>6.3f}   {kw:>10.3f} {mj:>11.3f}")
        for title, s in (("model", ev.model), ("keyword baseline", ev.keyword), ("majority baseline", ev.majority)):
            w(f"{title:<18} accuracy {s.accuracy:.3f}  macro-F1 {s.macro_f1:.3f}  weighted-F1 {_weighted(s):.3f}")
        mean_train = sum(ev.train_seconds) / len(ev.train_seconds)
        w(f"({ev.seconds:.1f} s in all; training {mean_train:.2f} s per fold)")

    def _bench(self, opts: dict[str, Any]) -> None:
        from ...bench import run

        run(self.stdout.write, train_size=opts["train_size"], texts=opts["texts"])


def _weighted(s: Scores) -> float:
    total = sum(v[3] for v in s.per_class.values())
    return sum(v[2] * v[3] for v in s.per_class.values()) / total if total else 0.0
