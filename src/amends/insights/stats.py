"""Confidence intervals for proportions: Wilson's score interval (good at small n and near 0 or 1, where the
normal approximation is not). Pure functions on counts."""

from __future__ import annotations

from math import sqrt


def wilson(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float] | None:
    """The interval for the true proportion behind `successes` of `n`, or None when n is 0."""
    if n <= 0:
        return None
    # scipy is imported here, not at module load: web workers that never draw a report stay small and fast to start.
    from scipy.stats import norm

    z = float(norm.ppf(1 - (1 - confidence) / 2))
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)
