"""The lexicon shipped with Amends (loaded by a data migration; quality managers extend it in the admin).

Terms are written once, in simplified Chinese or English: traditional characters, full-width digits and
spaces inside numbers match them through `normalise`. Patterns are regular expressions over that reading.
"""

from __future__ import annotations

from typing import Any

from .flags import Term

TRIGGERS: dict[str, tuple[str, ...]] = {
    "regulator": (
        "12378",
        "金融监管总局",
        "国家金融监督管理总局",
        "金融监管局",
        "银保监",
        "保监会",
        "保监局",
        "监管局",
        "监管部门",
        "监管机构",
        "投诉到监管",
        "向监管",
        "找监管",
        "银监会",
        "regulator",
        "insurance department",
        "department of insurance",
        "state insurance commissioner",
        "cfpb",
    ),
    "media": (
        "媒体",
        "记者",
        "曝光",
        "微博",
        "抖音",
        "快手",
        "小红书",
        "黑猫投诉",
        "电视台",
        "报社",
        "发到网上",
        "朋友圈",
        "the media",
        "journalist",
        "reporter",
        "newspaper",
        "go public",
        "social media",
    ),
    "legal": (
        "律师",
        "起诉",
        "法院",
        "仲裁",
        "诉讼",
        "打官司",
        "法律途径",
        "律师函",
        "告你们",
        "lawyer",
        "attorney",
        "sue",
        "lawsuit",
        "court",
        "legal action",
        "arbitration",
    ),
    "consumer_body": (
        "12315",
        "消协",
        "消费者协会",
        "市场监管局",
        "工商局",
        "consumer protection",
        "better business bureau",
        "attorney general",
    ),
    "repeat": (
        "又一次",
        "又是",
        "又来",
        "又投诉",
        "又打",
        "再次",
        "多次",
        "屡次",
        "反复",
        "三番五次",
        "一直没人管",
        "一直没有人管",
        "没人管",
        "还是没有解决",
        "还没解决",
        "again",
        "second time",
        "third time",
        "repeatedly",
        "multiple times",
        "several times",
        "still not resolved",
    ),
    "distress": (
        "不想活",
        "活不下去",
        "跳楼",
        "自杀",
        "轻生",
        "寻死",
        "同归于尽",
        "喝农药",
        "走投无路",
        "拼命",
        "杀了",
        "报复",
        "要你们好看",
        "忍无可忍",
        "欺人太甚",
        "逼死",
        "kill myself",
        "suicide",
        "end my life",
        "hurt someone",
        "want to die",
        "can't go on",
    ),
}
PATTERNS: dict[str, tuple[str, ...]] = {
    # 第二次投诉, 第3次打电话, 第三回找你们
    "repeat": (r"第[0-9两二三四五六七八九十几]+[次回](?:投诉|打|来|找|反映|联系)",),
}
NEGATIONS: tuple[str, ...] = (
    "不会", "不想", "不打算", "不准备", "不用", "不必", "不需要", "无需", "无须", "没必要", "没有必要", "并不想",
    "不至于", "暂不", "没打算", "不愿",
    "no need to", "not", "won't", "don't", "doesn't", "didn't", "wouldn't", "never", "no intention",
    "no plan to", "no desire to",
)  # fmt: skip


def terms() -> list[Term]:
    """The shipped lexicon as terms, without the database (tests, `amends text eval --lexicon shipped`)."""
    return [Term("negation" if r["kind"] == "negation" else r["flag"], r["term"], r["is_pattern"]) for r in rows()]


def rows() -> list[dict[str, Any]]:
    out = [{"kind": "trigger", "flag": f, "term": t, "is_pattern": False} for f, ts in TRIGGERS.items() for t in ts]
    out += [{"kind": "trigger", "flag": f, "term": t, "is_pattern": True} for f, ts in PATTERNS.items() for t in ts]
    out += [{"kind": "negation", "flag": "", "term": t, "is_pattern": False} for t in NEGATIONS]
    return out


def load(model: Any) -> None:
    """Add the shipped terms that are missing (existing ones, edited or not, stay as they are)."""
    have = set(model.objects.values_list("kind", "flag", "term"))
    model.objects.bulk_create(
        [model(**r) for r in rows() if (r["kind"], r["flag"], r["term"]) not in have], batch_size=500
    )
