"""The judge drops a lexicon hit whose surroundings read as a mention, and never adds a flag of its own."""

from amends.text import flag_eval, judge, lexicon, seed
from amends.text.flags import Term, compile_lexicon, find_flags

JUDGED = lexicon.judged(seed.terms())
PLAIN = compile_lexicon(seed.terms())


def codes(text, lex=JUDGED):
    return {f.code for f in find_flags(text, lex)}


def test_a_mention_is_dropped_where_the_lexicon_alone_flags_it():
    # Neither sentence is in the labelled set.
    assert codes("My cousin is a lawyer and she read the policy for me", PLAIN) == {"legal"}
    assert codes("My cousin is a lawyer and she read the policy for me") == set()
    assert codes("I saw on the news that premiums rise", PLAIN) == {"media"}
    assert codes("I saw on the news that premiums rise") == set()


def test_threats_are_kept():
    assert codes("我已经请了律师") == {"legal"}
    assert codes("I am taking this to the local news") == {"media"}
    assert codes("（12378转办）车辆定损太低，这是我第二次投诉了") == {"regulator", "repeat"}


def test_distress_and_hotline_numbers_are_never_judged():
    assert codes("我现在真的不想活了") == {"distress"}
    assert codes("我的电话是0755-12378") == set() and codes("已经打了12378") == {"regulator"}


def test_a_counted_contact_is_never_judged():
    # With nothing either side to read, the judge had dropped it; a count that is not a contact still is judged.
    assert codes("第二次投诉了！") == {"repeat"} and codes("第3回找你们") == {"repeat"}
    assert judge.unjudged("repeat", "第二次投诉", 0, 5) and not judge.unjudged("repeat", "三次爆仓", 0, 2)


def test_the_judge_never_raises_a_flag_the_lexicon_did_not_find():
    for e in flag_eval.load()[:200]:
        assert codes(e.text) <= codes(e.text, PLAIN)


def test_a_term_quality_adds_is_judged_by_its_surroundings():
    extended = lexicon.judged([*seed.terms(), Term("media", "西瓜视频")])
    assert {f.code for f in find_flags("我已经把这事发到西瓜視頻了", extended)} == {"media"}


def test_training_is_deterministic_and_needs_both_kinds_of_hit():
    tune = [e for e in flag_eval.load() if e.part == "tune"][:300]
    a = judge.train([e.text for e in tune], [e.flags for e in tune], PLAIN)
    b = judge.train([e.text for e in tune], [e.flags for e in tune], PLAIN)
    assert a is not None and a.weights == b.weights
    assert judge.train(["我要找律师"], [{"legal"}], PLAIN) is None


def test_the_judge_adds_no_statement_to_intake(world, now):
    import dataclasses

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from amends.assembly.testing import receive

    words = "我已经请了律师，再不赔就打12378，这是第三次投诉了。"
    receive(world.frontline, world.individual, claim_no="W0", description=words)  # warm the caches
    with CaptureQueriesContext(connection) as judged:
        receive(world.frontline, world.individual, claim_no="W1", description=words)
    kept = lexicon._kept
    with kept._lock:
        kept._value = dataclasses.replace(kept._value, judge=None)
    with CaptureQueriesContext(connection) as plain:
        receive(world.frontline, world.individual, claim_no="W2", description=words)
    assert len(judged) == len(plain)
