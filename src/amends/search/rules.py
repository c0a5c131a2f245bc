"""What a search box's text can mean: a reference, a number (phone, customer, policy or claim number), a name,
or words to find in complaints and notes. Pure: no ORM, no settings.

Names and numbers are matched exactly or by prefix (indexes on the columns; trigrams miss names of two
characters such as 王伟), words by substring (trigram indexes; see docs/decisions/0063-search.md).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_LENGTH = 100
MAX_TERMS = 4
# A word shorter than this is not looked for in complaint text: one character matches nearly everything.
MIN_TERM = 2
# Text is searched only when some term has a trigram: a two-character word alone (王伟, 尾灯) would be a scan of
# every complaint and note; beside a longer one it only narrows what the longer one found.
MIN_INDEXED_TERM = 3

_REFERENCE = re.compile(r"(BJ|TS)-?(\d{4})-?(\d{1,12})", re.IGNORECASE)
_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{2,39}")
_PHONE_NOISE = re.compile(r"[\s()-]")


@dataclass(frozen=True)
class Reference:
    prefix: str  # BJ a case, TS a complaint
    year: int
    pk: int


@dataclass(frozen=True)
class Query:
    text: str
    reference: Reference | None = None
    number: str | None = None  # upper-cased: customer, policy and claim numbers are stored so
    phone: str | None = None
    name: str | None = None
    terms: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.reference or self.number or self.phone or self.name or self.terms)


def normalise(text: str) -> str:
    """Full-width digits and letters (as typed with a Chinese input method) become ASCII; spaces collapse."""
    return " ".join(unicodedata.normalize("NFKC", text).split())[:MAX_LENGTH]


def phone_of(text: str) -> str | None:
    digits = _PHONE_NOISE.sub("", text)
    if digits.startswith("+86"):
        digits = digits[3:]
    return digits if digits.isdigit() and 7 <= len(digits) <= 15 else None


def parse(raw: str) -> Query:
    text = normalise(raw)
    if not text:
        return Query(text="")
    found = _REFERENCE.fullmatch(text)
    if found:
        ref = Reference(found.group(1).upper(), int(found.group(2)), int(found.group(3)))
        return Query(text=text, reference=ref)
    phone = phone_of(text)
    number = text.upper() if _NUMBER.fullmatch(text) and any(ch.isdigit() for ch in text) else None
    if phone or number:
        return Query(text=text, number=number, phone=phone)
    # A name has no digits and no spaces inside (Chinese names are written without; a Latin one may have one).
    name = text if len(text) <= 40 and not any(ch.isdigit() for ch in text) else None
    terms = tuple(t for t in text.split(" ") if len(t) >= MIN_TERM)[:MAX_TERMS]
    if not any(len(t) >= MIN_INDEXED_TERM for t in terms):
        terms = ()
    return Query(text=text, name=name, terms=terms)


def like_pattern(term: str) -> str:
    """`%term%` for LIKE/ILIKE, with the user's own wildcards taken literally."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def fts_phrase(term: str) -> str:
    """A term as one FTS5 phrase (the trigram tokenizer then matches it as a substring)."""
    return '"' + term.replace('"', '""') + '"'


def snippet(text: str, terms: tuple[str, ...], width: int = 60) -> str:
    """The part of `text` around the first term found, on one line."""
    flat = " ".join(text.split())
    lowered = flat.lower()
    at = min((i for i in (lowered.find(t.lower()) for t in terms) if i >= 0), default=-1)
    if at < 0 or len(flat) <= width:
        return flat[:width] + ("…" if len(flat) > width else "")
    start = max(0, at - width // 3)
    end = start + width
    return ("…" if start else "") + flat[start:end] + ("…" if end < len(flat) else "")
