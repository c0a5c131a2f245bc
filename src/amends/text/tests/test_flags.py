"""Escalation flags from the shipped lexicon: every flag positive, negated, traditional, full-width, English."""

import pytest

from amends.text import seed
from amends.text.flags import compile_lexicon, find_flags

LEXICON = compile_lexicon(seed.terms())


def flags(text):
    return {f.code: f.evidence for f in find_flags(text, LEXICON)}


CASES = [
    # (flag, text, expected evidence or None when the flag must not be raised)
    ("regulator", "再不处理我就打12378投诉你们", "12378"),
    ("regulator", "我已经向金融监管总局反映了", "金融监管总局"),
    ("regulator", "我要打１２３７８", "１２３７８"),
    ("regulator", "电话打到了123 78", "123 78"),
    ("regulator", "我會去銀保監投訴", "銀保監"),
    ("regulator", "I have filed a complaint with the state insurance commissioner", "state insurance commissioner"),
    ("regulator", "我不会去找监管部门，只想尽快解决", None),
    ("regulator", "电话号码是123789", None),
    ("media", "再拖下去我就找记者曝光", "记者"),
    ("media", "我已经发到微博上了", "微博"),
    ("media", "我會在抖音上曝光你們", "抖音"),
    ("media", "I will go to the media with this", "the media"),
    ("media", "我不会去曝光的，放心", None),
    ("media", "不要逼我去曝光", "曝光"),
    ("media", "I won't go to the media, just fix it", None),
    ("legal", "我已经请了律师", "律师"),
    ("legal", "准备去法院起诉你们", "法院"),
    ("legal", "我會委託律師處理", "律師"),
    ("legal", "If this is not fixed I will sue", "sue"),
    ("legal", "There is no need to involve a lawyer.", None),
    ("legal", "This is not the first issue with my claim", None),
    ("legal", "我不打算起诉，只要赔付", None),
    ("consumer_body", "我已经打了12315", "12315"),
    ("consumer_body", "我要去消协投诉", "消协"),
    ("consumer_body", "我要打１２３１５", "１２３１５"),
    ("consumer_body", "我會去消協", "消協"),
    ("consumer_body", "I contacted the Better Business Bureau", "Better Business Bureau"),
    ("consumer_body", "暂不找消协，先看你们处理", None),
    ("repeat", "这是我第三次投诉了", "第三次投诉"),
    ("repeat", "我又一次打电话过来", "又一次"),
    ("repeat", "這是我第2次投訴", "第2次投訴"),
    ("repeat", "投诉了两个月一直没人管", "一直没人管"),
    ("repeat", "I am writing again about the same claim", "again"),
    ("repeat", "希望不需要再次投诉", None),
    ("distress", "我真的不想活了", "不想活"),
    ("distress", "再这样我就从楼上跳楼", "跳楼"),
    ("distress", "逼得我走投無路", "走投無路"),
    ("distress", "I feel like I want to die", "want to die"),
    ("distress", "我不至于去报复谁，只要一个说法", None),
    # Numbers in context: a number to call, not part of a phone number, a code or a year
    ("regulator", "我的电话是0755-12378", None),
    ("regulator", "保单号P12378001", None),
    ("regulator", "我打了12345市长热线", "12345"),
    ("consumer_body", "我打了1950专线", "打了1950"),
    ("consumer_body", "我1950年出生", None),
    # 是 + 不 and other negations the first list lacked, in both scripts and Cantonese
    ("media", "我是不会去曝光的", None),
    ("regulator", "我并不是要投诉到监管局", None),
    ("distress", "我不是不想活，就是累", None),
    ("legal", "我唔會搵律師", None),
    ("legal", "I have no intention of taking this to court", None),
    # Other names: petition channels, Hong Kong and Taiwan bodies and networks, English idioms
    ("regulator", "我已经给市长信箱写了信", "市长信箱"),
    ("regulator", "實在不行就去上訪", "上訪"),
    ("regulator", "我會向金管會申訴", "金管會"),
    ("consumer_body", "我會去消委會投訴", "消委會"),
    ("media", "我會放上臉書", "臉書"),
    ("media", "我已經在連登發帖", "連登"),
    ("legal", "我們法庭上見", "法庭"),
    ("legal", "I am suing you", "suing"),
    ("legal", "See you in court", "court"),
    ("repeat", "这是我第5次打电话", "第5次打"),
    ("repeat", "I've called five times", "five times"),
    ("distress", "I can't do this anymore", "can't do this anymore"),
    ("distress", "我撐不下去了", "撐不下去"),
    # A longer term of another flag covers a shorter one
    ("legal", "I am reporting this to the attorney general", None),
    ("consumer_body", "I am reporting this to the attorney general", "attorney general"),
    ("regulator", "我要向市场监管部门举报", None),
]


@pytest.mark.parametrize(("flag", "text", "evidence"), CASES, ids=[f"{c[0]}:{c[1][:18]}" for c in CASES])
def test_flag(flag, text, evidence):
    found = flags(text)
    if evidence is None:
        assert flag not in found, found
    else:
        assert found.get(flag) == evidence, found


def test_evidence_points_into_the_original_text():
    text = "客户说：我要打 １２３ ７８ 投诉"
    [flag] = find_flags(text, LEXICON)
    assert text[flag.start : flag.end] == flag.evidence == "１２３ ７８"


def test_a_negation_does_not_reach_across_a_clause():
    assert "media" in flags("我不会再等了，我要去曝光")


def test_several_flags_each_once():
    found = flags("我第二次投诉了，再不解决就找律师起诉，还要打12378和12315")
    assert set(found) == {"repeat", "legal", "regulator", "consumer_body"}
    assert found["legal"] == "律师"


def test_plain_text_raises_nothing():
    assert flags("定损员态度很差，要求重新定损。") == {}
