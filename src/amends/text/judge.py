"""The judge: a small supervised layer that decides, for a lexicon hit, whether the words around it make a
threat or a mere mention ("律师朋友告诉我…", "I saw on the news…", "监管部门何在？").

It never finds a flag the lexicon did not find, so quality managers keep control of what can raise a flag;
it only drops hits whose surroundings read like a mention, and never a distress hit (a missed one is a
person at risk) nor a hotline number (the lexicon's number-in-context rule has read it already).
Features are the hit's flag and term, the units just before and after it in its sentence (Chinese
characters and their pairs, Latin words and their pairs) and classes of cue words (acting, mentioning,
first person, a third party, a question), each also joined with the flag. The learner is an averaged
perceptron in pure Python over all flags, trained on the tuning part of the labelled set
(`text.flag_eval`) with the hits the current lexicon finds there: a fraction of a second, once per
lexicon per process (`text.lexicon`); judging is a sum of weights looked up in a dict
(docs/decisions/0070).
"""

from __future__ import annotations

import itertools
import math
import random
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .flags import Lexicon, hits
from .normalise import read

# How many units (a Chinese character, a Latin word, a number) either side of the term are read.
WINDOW = 8
SENTENCE_BREAK = re.compile(r"[.!?。！？;；\n]")
_UNIT = re.compile(r"[\u3400-\u9fff]|[a-z']+|\d+|[,，、:：]")
# A hit is kept when the judge's probability of a threat is at least this. Distress is never judged: a missed
# one is a person at risk, and on the held-aside part the judge cost distress recall (0.96 → 0.75) for no
# precision gained (1.00 either way), see docs/text.md.
UNJUDGED = frozenset({"distress"})
KEEP_DEFAULT = 0.5
# "第三次投诉", "第2回找你们": the customer counting their own contacts is what `repeat` means, in any
# surroundings; the judge, with no words either side to read, had dropped "第二次投诉了！".
COUNTED_CONTACT = re.compile(r"第[0-9两二三四五六七八九十几]+[次回趟](?:投诉|打|来|找|反映|联系|反馈|去|向)")
EPOCHS = 10
CUE_REACH = 40  # characters either side of the term where a cue word counts
# Word classes the judge is given as features (it learns their weights): words of acting on a threat, words of
# a mere mention, the first person, and a question. Classes, not rules: they let a few hundred labelled hits
# teach what a single word seen once could not.
CUES = {
    "act": re.compile(
        r"投诉|举报|反映|反馈|申诉|求助|找|打|拨|致电|去|到|向|告|发|写信|留言|联系|请|恳请|希望|要求|只能|只好|准备|已经|"
        r"\b(?:will|going|gonna|ll|file|filed|filing|contact|contacted|report|reported|reach|reached|call|called|"
        r"take|taking|post|posted|send|sent|involve|involved|hire|hired|retain|retained|pursue|may|considering|next)\b"
    ),
    "mention": re.compile(
        r"看到|看了|看过|听说|新闻|朋友|工作|上班|广告|推荐|规定|判决|发票|节|公示|宣传|要求的|是干什么|何在|去哪|"
        r"\b(?:read|saw|seen|heard|friend|work|works|worked|ad|invoice|training|their|her|his|appointed|"
        r"against|rules|rating|violation|violations|laws|from)\b"
    ),
    "self": re.compile(r"我|本人|咱|\b(?:i|we|my|our|me|us|i'm|i've|i'll)\b"),
    "other": re.compile(
        r"他|她|对方|公司|物业|开发商|医院|银行|政府|局|村干部|\b(?:they|he|she|their|his|her|company|bank|its)\b"
    ),
}


def features(code: str, reading: str, start: int, end: int) -> list[str]:
    before = [m.end() for m in SENTENCE_BREAK.finditer(reading, 0, start)]
    after = SENTENCE_BREAK.search(reading, end)
    sentence_left = reading[before[-1] if before else 0 : start]
    sentence_right = reading[end : after.start() if after else len(reading)]
    left, right = _UNIT.findall(sentence_left)[-WINDOW:], _UNIT.findall(sentence_right)[:WINDOW]
    own = ["bias", f"t:{reading[start:end]}", f"l#{len(left)}", f"r#{len(right)}"]
    near_left, near_right = sentence_left[-CUE_REACH:], sentence_right[:CUE_REACH]
    for name, cue in CUES.items():
        if cue.search(near_left):
            own.append(f"cue:{name}<")
        if cue.search(near_right):
            own.append(f"cue:{name}>")
    if after is not None and reading[after.start()] in "?？":
        own.append("question")
    for side, units in (("l", left), ("r", right)):
        own += [f"{side}:{u}" for u in units]
        own += [f"{side}:{a}_{b}" for a, b in itertools.pairwise(units)]
    if left:
        own.append(f"l-1:{left[-1]}")
    if right:
        own.append(f"r+1:{right[0]}")
    return own + [f"{code}|{f}" for f in own]


def unjudged(code: str, reading: str, start: int, end: int) -> bool:
    """Hits the judge never drops: distress, a number that passed the number-in-context check (the number to
    call), a counted contact."""
    return (
        code in UNJUDGED
        or reading[start : start + 1].isdigit()
        or (code == "repeat" and COUNTED_CONTACT.fullmatch(reading, start, end) is not None)
    )


@dataclass(frozen=True)
class JudgeModel:
    weights: dict[str, float]

    def probability(self, code: str, reading: str, start: int, end: int) -> float:
        score = sum(self.weights.get(f, 0.0) for f in features(code, reading, start, end))
        return 1.0 / (1.0 + math.exp(-max(min(score, 30.0), -30.0)))

    def __call__(self, code: str, reading: str, start: int, end: int) -> bool:
        if unjudged(code, reading, start, end):
            return True  # a number that passed the number-in-context check is the number to call
        return self.probability(code, reading, start, end) >= KEEP_DEFAULT


def samples(
    texts: Sequence[str], labels: Sequence[Iterable[str]], lexicon: Lexicon
) -> tuple[list[list[str]], list[int]]:
    """Each un-negated hit of the lexicon in the texts, as features, and whether its flag is the text's."""
    x: list[list[str]] = []
    y: list[int] = []
    for text, flags in zip(texts, labels, strict=True):
        reading = read(text).text
        wanted = set(flags)
        for hit in hits(reading, lexicon):
            if not hit.negated and not unjudged(hit.code, reading, hit.start, hit.end):
                x.append(features(hit.code, reading, hit.start, hit.end))
                y.append(int(hit.code in wanted))
    return x, y


def train(
    texts: Sequence[str], labels: Sequence[Iterable[str]], lexicon: Lexicon, epochs: int = EPOCHS
) -> JudgeModel | None:
    """An averaged perceptron over the hits' features (pure Python, a fixed seeded order: the same data always
    gives the same judge). None when the texts give nothing to learn from (no hits, or hits of one kind only)."""
    x, y = samples(texts, labels, lexicon)
    if len(set(y)) < 2:
        return None
    weights: dict[str, float] = defaultdict(float)
    totals: dict[str, float] = defaultdict(float)  # step-weighted updates, for the average
    order = list(range(len(x)))
    shuffle = random.Random(0)
    step = 1
    for _ in range(epochs):
        shuffle.shuffle(order)
        for i in order:
            sign = 1 if y[i] else -1
            if sign * sum(weights[f] for f in x[i]) <= 0:
                for f in x[i]:
                    weights[f] += sign
                    totals[f] += step * sign
            step += 1
    return JudgeModel({f: w - totals[f] / step for f, w in weights.items() if w - totals[f] / step})
