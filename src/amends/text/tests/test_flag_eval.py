"""The labelled escalation set: its held-aside third is frozen, and the scores are counted right."""

from collections import Counter

from django.core.management import call_command

from amends.text import flag_eval
from amends.text.flags import FLAGS

# The held-aside third, frozen: nothing is tuned on it, so a change to its sentences or labels is a choice that
# must be made in the open (and the figures in docs/text.md measured again), never a quiet fix.
HELD_CHECKSUM = "e85ebc8fa44a3ff10dfb48fe2c85347186c099d89ca15854790190ff744b441d"


def test_the_held_aside_third_is_unchanged():
    held = [e for e in flag_eval.load() if e.part == "held"]
    assert flag_eval.checksum(held) == HELD_CHECKSUM


def test_the_set_covers_every_flag_in_every_language_and_neutral_mentions():
    examples = flag_eval.load()
    assert len(examples) >= 600 and len({e.id for e in examples}) == len(examples)
    assert {e.part for e in examples} == set(flag_eval.PARTS)
    held = sum(1 for e in examples if e.part == "held")
    assert 0.28 <= held / len(examples) <= 0.38
    carried = Counter((f, e.lang) for e in examples for f in e.flags)
    for f in FLAGS:
        for lang in flag_eval.LANGUAGES:
            assert carried[(f, lang)] >= 10, (f, lang)
    assert sum(1 for e in examples if not e.flags) >= 250
    assert sum(1 for e in examples if e.source.startswith(("tipdm:", "cfpb:"))) >= 400
    assert all(set(e.flags) <= set(FLAGS) for e in examples)


def test_scores_count_each_flag_of_each_sentence():
    examples = [
        flag_eval.Example("1", "held", "en", frozenset({"legal"}), "written", "I will sue"),
        flag_eval.Example("2", "held", "en", frozenset(), "written", "my lawyer friend says hi"),
        flag_eval.Example("3", "held", "zh-Hans", frozenset({"media", "repeat"}), "written", "又要曝光"),
    ]
    read = {"I will sue": {"legal"}, "my lawyer friend says hi": {"legal"}, "又要曝光": {"media"}}
    report = flag_eval.evaluate(examples, lambda t: read[t])
    legal = report.flag("legal")
    assert (legal.tp, legal.fp, legal.fn) == (1, 1, 0)
    assert (report.micro().tp, report.micro().fp, report.micro().fn) == (2, 1, 1)
    assert report.micro("zh-Hans").recall == 0.5
    assert [e.id for e, _ in report.errors] == ["2", "3"]


def test_the_command_prints_the_table_per_flag_and_language(capsys):
    call_command("text", "eval", "--dataset", "escalation")
    out = capsys.readouterr().out
    assert "held part" in out
    for word in (*FLAGS, "micro", "zh-Hans", "zh-Hant", "en"):
        assert word in out
