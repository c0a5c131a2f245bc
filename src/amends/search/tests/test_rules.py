"""What the search box's text is taken to mean, and the small text helpers: pure, no database."""

import pytest

from amends.search import rules


@pytest.mark.parametrize(
    ("raw", "reference"),
    [
        ("BJ-2026-000045", rules.Reference("BJ", 2026, 45)),
        ("ts-2026-000007", rules.Reference("TS", 2026, 7)),
        ("ＢＪ－２０２６－０００４５", rules.Reference("BJ", 2026, 45)),  # full-width, as a Chinese IME types it
    ],
)
def test_references_are_recognised(raw, reference):
    assert rules.parse(raw).reference == reference


@pytest.mark.parametrize(
    ("raw", "phone", "number"),
    [
        ("13800138000", "13800138000", "13800138000"),
        ("+86 138 0013 8000", "13800138000", None),
        ("138-0013-8000", "13800138000", "138-0013-8000"),
        ("pa2026440300000001", None, "PA2026440300000001"),
        ("CL2026", None, "CL2026"),
    ],
)
def test_numbers_and_phones(raw, phone, number):
    q = rules.parse(raw)
    assert (q.phone, q.number, q.name, q.terms) == (phone, number, None, ())


def test_a_two_character_chinese_name_is_a_name_but_alone_no_word_to_scan_text_for():
    q = rules.parse(" 王伟 ")
    assert q.name == "王伟"
    assert q.terms == ()


def test_words_without_spaces_are_one_term_and_single_characters_are_dropped():
    assert rules.parse("定损员 迟到 了").terms == ("定损员", "迟到")
    assert rules.parse("尾灯总成").terms == ("尾灯总成",)


def test_nothing_to_look_for():
    assert rules.parse("   ").empty


def test_like_patterns_take_wildcards_literally():
    assert rules.like_pattern("100%_a\\b") == "%100\\%\\_a\\\\b%"


def test_fts_phrases_double_their_quotes():
    assert rules.fts_phrase('a"b') == '"a""b"'


def test_snippet_centres_on_the_first_term():
    text = "前" * 50 + "尾灯总成" + "后" * 50
    cut = rules.snippet(text, ("尾灯",), width=20)
    assert "尾灯" in cut and cut.startswith("…") and cut.endswith("…")
