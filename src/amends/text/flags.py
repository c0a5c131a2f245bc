"""Escalation flags (升级风险) found in a complaint's words: pure matching, no database.

A flag is raised by a lexicon term (`Term`), matched in the normalised reading (`normalise.read`) so
full-width digits, "123 78" and traditional characters match the same term; the evidence is quoted from
the original text. A hit is dropped when
- a negation just before the term in the same clause governs it ("不会去曝光", "我是不打算起诉",
  "no need to involve a lawyer"), unless pressure words sit between ("不要逼我去曝光" still flags);
- a longer term of another flag covers it ("attorney" inside "attorney general", "监管" inside "市场监管");
- the judge (`text.judge`, trained on the labelled sentences) reads its surroundings as a mention, not a
  threat ("律师朋友告诉我…", "I saw on the news…").
A number term matches only as a number to call: not inside a longer number, a phone number or a code
("0755-12378", "P12378001"). The terms themselves are data (`text.models.LexiconTerm`); `text.lexicon`
compiles and caches them.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .normalise import read

FLAGS = ("regulator", "media", "legal", "consumer_body", "repeat", "distress")
# A clause ends at these; a negation never reaches across them.
CLAUSE_BREAK = re.compile(r"[,.;:!?，。；：！？、\n\r]")
# Words that turn "do not … X" into pressure or a condition, so the negation does not hold for X.
PRESSURE = re.compile(r"逼|否则|不然|就|只好|只能|但|\b(?:and|but|so|otherwise|unless|then|or|will|i'll)\b")
# How far before a term a negation still governs it: CJK characters, Latin words and numbers count one each.
NEGATION_REACH = 5
_UNIT = re.compile(r"[\u3400-\u9fff]|[a-z']+|\d+")


@dataclass(frozen=True)
class Term:
    flag: str  # one of FLAGS, or "negation" for a negation cue
    text: str
    pattern: bool = False  # a regular expression over the normalised reading instead of a literal


@dataclass(frozen=True)
class Flag:
    code: str
    evidence: str
    start: int
    end: int

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "evidence": self.evidence, "start": self.start, "end": self.end}


# The judge of a hit: (flag, reading, start, end) → whether the words around it make it a threat.
Judge = Callable[[str, str, int, int], bool]


@dataclass(frozen=True)
class Lexicon:
    # Per flag: one alternation of the literal terms, and one of the patterns (kept apart: an alternation whose
    # every branch starts with a literal lets `re` skip ahead to the characters a term can start with).
    triggers: dict[str, tuple[re.Pattern[str], ...]]
    negation: re.Pattern[str] | None
    judge: Judge | None = None  # `text.judge`; None: every un-negated hit raises its flag


def _literal(term: str) -> str:
    """A term as a regular expression that starts with its first character; the checks of what comes before
    it look back from just after that character."""
    first, rest = re.escape(term[:1]), re.escape(term[1:])
    if re.fullmatch(r"[a-z][a-z' ]*", term):  # English: whole words, with the common endings
        return rf"{first}(?<![a-z].){rest}(?:s|es|ed|d|ing)?(?![a-z])"
    if term[:1].isdigit():  # 12378 is not part of 123789, 0755-12378 nor P12378
        return rf"{first}(?<![\da-z].)(?<!\d[-.].){rest}(?!\d)(?![-.]\d)"
    if term[-1:].isdigit():
        return rf"{first}{rest}(?!\d)(?![-.]\d)"
    return first + rest


def _alternation(parts: Iterable[str]) -> re.Pattern[str] | None:
    kept = [p for p in parts if p]
    return re.compile("|".join(f"(?:{p})" for p in kept)) if kept else None


def _triggers(terms: list[Term]) -> tuple[re.Pattern[str], ...]:
    literals = sorted({read(t.text).text.strip() for t in terms if not t.pattern}, key=lambda t: (-len(t), t))
    compiled = (_alternation(_literal(t) for t in literals if t), _alternation(t.text for t in terms if t.pattern))
    return tuple(p for p in compiled if p is not None)


def compile_lexicon(terms: Iterable[Term]) -> Lexicon:
    by_flag: dict[str, list[Term]] = {}
    for t in terms:
        by_flag.setdefault(t.flag, []).append(t)
    triggers = {}
    for code in FLAGS:
        patterns = _triggers(by_flag.get(code, []))
        if patterns:
            triggers[code] = patterns
    negation = _triggers(by_flag.get("negation", []))
    return Lexicon(triggers=triggers, negation=_alternation(p.pattern for p in negation))


def negated(reading: str, start: int, negation: re.Pattern[str] | None, breaks: list[int] | None = None) -> bool:
    """Whether a negation governs the term starting at `start`: in its clause, at most NEGATION_REACH units
    before it, with no pressure word in between. `breaks`: where the reading's clauses start (computed once
    for a reading with many hits)."""
    if negation is None:
        return False
    if breaks is None:
        breaks = clause_starts(reading)
    clause = reading[breaks[bisect.bisect_right(breaks, start) - 1] : start]
    cues = list(negation.finditer(clause))
    if not cues:
        return False
    between = clause[cues[-1].end() :]
    return len(_UNIT.findall(between)) <= NEGATION_REACH and not PRESSURE.search(between)


def clause_starts(reading: str) -> list[int]:
    return [0, *(m.end() for m in CLAUSE_BREAK.finditer(reading))]


@dataclass(frozen=True)
class Hit:
    """A term found in the reading, before the judge: where, and whether a negation governs it."""

    code: str
    start: int
    end: int
    negated: bool


def hits(reading: str, lexicon: Lexicon) -> list[Hit]:
    """Every trigger found in the reading, with its negation, less those a longer term of another flag covers."""
    found = [
        (code, m.start(), m.end())
        for code, patterns in lexicon.triggers.items()
        for pattern in patterns
        for m in pattern.finditer(reading)
        if m.end() > m.start()
    ]
    kept = [hit for hit in found if not any(_wins(o, hit) for o in found)]
    breaks = clause_starts(reading)
    return [Hit(code, start, end, negated(reading, start, lexicon.negation, breaks)) for code, start, end in kept]


def _wins(other: tuple[str, int, int], hit: tuple[str, int, int]) -> bool:
    """Whether `other`, a hit of another flag overlapping `hit`, takes its place: the longer one wins, and of two
    as long, the earlier ("市场监管部门" is the market regulator, not 监管部门)."""
    (code, start, end), (c, s, e) = hit, other
    if c == code or e <= start or end <= s:
        return False
    return (e - s, -s) > (end - start, -start)


def find_flags(text: str, lexicon: Lexicon, judge: Judge | None = None) -> list[Flag]:
    """Each flag the text raises, once, with the first un-negated occurrence the judge keeps as its evidence
    (`judge`, else the lexicon's own)."""
    judge = judge or lexicon.judge
    reading = read(text)
    found: dict[str, Flag] = {}
    for hit in sorted(hits(reading.text, lexicon), key=lambda h: (FLAGS.index(h.code), h.start)):
        if hit.code in found or hit.negated:
            continue
        if judge is not None and not judge(hit.code, reading.text, hit.start, hit.end):
            continue
        start, end = reading.span(hit.start, hit.end)
        found[hit.code] = Flag(hit.code, text[start:end], start, end)
    return list(found.values())
