"""Summaries of latency samples: percentiles by linear interpolation (numpy's default), in milliseconds.

Pure functions on plain lists, so they are tested without a database or a server.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass


def percentile(ordered: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100) of already sorted values; NaN for no values."""
    if not 0 <= q <= 100:
        raise ValueError("q must be between 0 and 100")
    if not ordered:
        return math.nan
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True)
class Summary:
    count: int
    mean_ms: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float

    def as_dict(self) -> dict[str, float]:
        return {k: (round(v, 3) if isinstance(v, float) and not math.isnan(v) else v) for k, v in asdict(self).items()}


def summarize(seconds: Iterable[float]) -> Summary:
    """Latencies given in seconds, summarised in milliseconds."""
    ms = sorted(s * 1000 for s in seconds)
    if not ms:
        return Summary(0, math.nan, math.nan, math.nan, math.nan, math.nan)
    return Summary(
        count=len(ms),
        mean_ms=sum(ms) / len(ms),
        p50_ms=percentile(ms, 50),
        p95_ms=percentile(ms, 95),
        p99_ms=percentile(ms, 99),
        max_ms=ms[-1],
    )


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else math.nan
