"""Near-duplicate complaint texts: MinHash signatures of character 3-gram shingles, banded for lookup.

Two texts are near-duplicates when the Jaccard similarity of their shingle sets is at least `THRESHOLD`
(0.6): the same complaint sent twice, or forwarded by the regulator in the complainant's words. A signature
of 64 MinHash values is cut into 16 bands of 4; a complaint is stored under its 16 band keys
(`TextBand`), and a new complaint asks only for the stored ones sharing a band (probability ≈ 1-(1-J⁴)¹⁶:
0.89 at J = 0.6, 0.99 at 0.7, one in ten thousand at 0.05), then checks the exact Jaccard of those few.
Pure functions: no database here.
"""

from __future__ import annotations

import hashlib
import re
import zlib

import numpy as np

from .normalise import plain

THRESHOLD = 0.6
BANDS, ROWS = 16, 4
_PRIME = (1 << 31) - 1
_rng = np.random.default_rng(20261123)
_A = _rng.integers(1, _PRIME, size=BANDS * ROWS, dtype=np.uint64)
_B = _rng.integers(0, _PRIME, size=BANDS * ROWS, dtype=np.uint64)
_NOISE = re.compile(r"[\s\W_]+")


def shingles(text: str) -> set[str]:
    """Character 3-grams of the text with spaces and punctuation removed (so layout does not matter)."""
    s = _NOISE.sub("", plain(text))
    if len(s) < 3:
        return {s} if s else set()
    return {s[i : i + 3] for i in range(len(s) - 2)}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def band_keys(grams: set[str]) -> list[int]:
    """The 16 band keys (signed 64-bit) of a shingle set; none for an empty text."""
    if not grams:
        return []
    x = np.fromiter((zlib.crc32(g.encode()) % _PRIME for g in grams), dtype=np.uint64, count=len(grams))
    mins = ((_A[:, None] * x[None, :] + _B[:, None]) % _PRIME).min(axis=1)
    keys = []
    for band in range(BANDS):
        digest = hashlib.blake2b(mins[band * ROWS : (band + 1) * ROWS].tobytes(), digest_size=8, key=bytes([band]))
        keys.append(int.from_bytes(digest.digest(), "big", signed=True))
    return keys
