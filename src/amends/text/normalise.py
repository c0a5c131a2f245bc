"""One reading of complaint text for the flags and the classifier: half-width, lower case, simplified.

Full-width forms (１２３７８, ＡＢＣ, the ideographic space) become ASCII, traditional characters simplified
(`hanzi.T2S`), letters lower case; spaces inside a number are dropped, so "123 78" reads 12378. Every
mapping but the last is one character for one, so a position in the reading points back into the text
through `origin`, which is how a flag quotes the customer's own words as its evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .hanzi import T2S

_TABLE: dict[int, str] = {**{c: chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}, 0x3000: " ", **T2S}
_SPACE_IN_NUMBER = re.compile(r"(?<=\d)[ \t\u00a0]+(?=\d)")


@dataclass(frozen=True)
class Reading:
    text: str
    origin: list[int] | None  # index in the original text of each character; None when they coincide

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Where reading[start:end] lies in the original text."""
        if self.origin is None:
            return start, end
        return self.origin[start], self.origin[end - 1] + 1


def read(text: str) -> Reading:
    folded = text.translate(_TABLE).lower()
    if len(folded) != len(text):  # lower() of a few letters (e.g. İ) grows; keep positions honest
        folded = "".join(ch.translate(_TABLE).lower()[:1] or ch for ch in text)
    if not _SPACE_IN_NUMBER.search(folded):
        return Reading(folded, None)
    kept: list[str] = []
    origin: list[int] = []
    last = 0
    for m in _SPACE_IN_NUMBER.finditer(folded):
        kept.append(folded[last : m.start()])
        origin.extend(range(last, m.start()))
        last = m.end()
    kept.append(folded[last:])
    origin.extend(range(last, len(folded)))
    return Reading("".join(kept), origin)


def plain(text: str) -> str:
    """The reading alone, for the classifier."""
    return read(text).text
