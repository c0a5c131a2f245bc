"""Escalation flags (升级风险) found in a complaint's words: pure matching, no database.

A flag is raised by a lexicon term (`Term`), matched in the normalised reading (`normalise.read`) so
full-width digits, "123 78" and traditional characters match the same term; the evidence is quoted from
the original text. A plain negation just before the term in the same clause ("不会去曝光", "no need to
involve a lawyer") cancels it, unless pressure words sit between ("不要逼我去曝光" still flags). The terms
themselves are data (`text.models.LexiconTerm`); `text.lexicon` compiles and caches them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .normalise import read

FLAGS = ("regulator", "media", "legal", "consumer_body", "repeat", "distress")
# A clause ends at these; a negation never reaches across them.
CLAUSE_BREAK = re.compile(r"[,.;:!?，。；：！？、\n\r]")
# Words that turn "do not … X" into pressure or a condition, so the negation does not hold for X.
PRESSURE = re.compile(r"逼|否则|不然|就|只好|只能|但|\b(?:and|but|so|otherwise|unless|then|or|will|i'll)\b")
# How far before a term a negation still governs it: CJK characters, Latin words and numbers count one each.
NEGATION_REACH = 4
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


@dataclass(frozen=True)
class Lexicon:
    triggers: dict[str, re.Pattern[str]]
    negation: re.Pattern[str] | None


def _literal(term: str) -> str:
    body = re.escape(term)
    if re.fullmatch(r"[a-z][a-z' ]*", term):  # English: whole words, with the common endings
        return rf"(?<![a-z]){body}(?:s|es|ed|d|ing)?(?![a-z])"
    if term[:1].isdigit() or term[-1:].isdigit():  # 12378 is not part of 123789
        return rf"(?<!\d){body}(?!\d)"
    return body


def _alternation(terms: Iterable[Term]) -> re.Pattern[str] | None:
    parts: list[str] = []
    for t in sorted(terms, key=lambda t: -len(t.text)):
        parts.append(t.text if t.pattern else _literal(read(t.text).text.strip()))
    return re.compile("|".join(f"(?:{p})" for p in parts if p)) if parts else None


def compile_lexicon(terms: Iterable[Term]) -> Lexicon:
    by_flag: dict[str, list[Term]] = {}
    for t in terms:
        by_flag.setdefault(t.flag, []).append(t)
    triggers = {}
    for code in FLAGS:
        pattern = _alternation(by_flag.get(code, []))
        if pattern is not None:
            triggers[code] = pattern
    return Lexicon(triggers=triggers, negation=_alternation(by_flag.get("negation", [])))


def negated(reading: str, start: int, negation: re.Pattern[str] | None) -> bool:
    """Whether a negation governs the term starting at `start`: in its clause, at most NEGATION_REACH units
    before it, with no pressure word in between."""
    if negation is None:
        return False
    breaks = [m.end() for m in CLAUSE_BREAK.finditer(reading, 0, start)]
    clause = reading[breaks[-1] if breaks else 0 : start]
    cues = list(negation.finditer(clause))
    if not cues:
        return False
    between = clause[cues[-1].end() :]
    return len(_UNIT.findall(between)) <= NEGATION_REACH and not PRESSURE.search(between)


def find_flags(text: str, lexicon: Lexicon) -> list[Flag]:
    """Each flag the text raises, once, with the first un-negated occurrence as its evidence."""
    reading = read(text)
    found: list[Flag] = []
    for code, pattern in lexicon.triggers.items():
        for m in pattern.finditer(reading.text):
            if m.end() > m.start() and not negated(reading.text, m.start(), lexicon.negation):
                start, end = reading.span(m.start(), m.end())
                found.append(Flag(code, text[start:end], start, end))
                break
    return found
