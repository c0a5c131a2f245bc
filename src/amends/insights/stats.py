"""Confidence intervals for proportions: Wilson's score interval (good at small n and near 0 or 1, where the
normal approximation is not). Pure functions on counts."""

from __future__ import annotations

from math import sqrt
from statistics import NormalDist


def wilson(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float] | None:
    """The interval for the true proportion behind `successes` of `n`, or None when n is 0."""
    if n <= 0:
        return None
    # The standard library's normal quantile: importing scipy for it cost a web worker ~0.5 s on its first report.
    z = NormalDist().inv_cdf(1 - (1 - confidence) / 2)
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)
