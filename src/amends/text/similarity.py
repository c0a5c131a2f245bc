"""Near-duplicate complaint texts: Jaccard similarity of character 3-gram shingles.

Two texts are near-duplicates when the Jaccard similarity of their shingle sets is at least `THRESHOLD`
(0.6): the same complaint sent twice, or forwarded by the regulator in the complainant's words. Spaces and
punctuation are ignored, traditional characters and full-width forms read as simplified and ASCII. Pure
functions: no database here; `text.queries.similar_open_case` compares a customer's recent complaints.
"""

from __future__ import annotations

import re

from .normalise import plain

THRESHOLD = 0.6
_NOISE = re.compile(r"[\s\W_]+")


def shingles(text: str) -> set[str]:
    """Character 3-grams of the text with spaces and punctuation removed (so layout does not matter)."""
    s = _NOISE.sub("", plain(text))
    if len(s) < 3:
        return {s} if s else set()
    return {s[i : i + 3] for i in range(len(s) - 2)}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0
