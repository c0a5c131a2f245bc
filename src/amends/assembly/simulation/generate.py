"""An insurer's year drawn from `Params` with one seeded generator (numpy PCG64): customers and their policy
terms coming up for renewal during the year, the failures they meet, who complains (4% of the dissatisfied),
who is found anyway (early warning, callbacks), each case's recovery and how long it took, and whether the
customer renewed. Vectorised: the arrays are the draw; `rows` turns them into table rows for `write`.
Same seed, same parameters, same `until` → the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np

from .params import Params

SEGMENTS = np.array(
    ["individual", "individual", "individual", "individual", "online", "online", "telesales", "group", "key_account"]
)
LINES = np.array(["auto", "auto", "auto", "health", "property", "accident", "life"])
CAUSES = np.array(["company", "uncontrollable", "customer"])
CAUSE_P = [0.6, 0.25, 0.15]
DIMENSIONS = np.array(["reliability", "responsiveness", "competence", "attitude", "standards"])
CHANNELS = np.array(["hotline", "hotline", "hotline", "app", "portal", "email", "counter", "regulator", "social"])
OUTCOME_RECOVERED, OUTCOME_UNREACHABLE, OUTCOME_NOT_RECOVERED = 0, 1, 2
DAY = 86400.0


@dataclass
class Year:
    """The draw: one entry per customer, case fields valid where `has_case`."""

    until: date
    n: int
    segment: np.ndarray
    outlet: np.ndarray  # index into the outlets given
    line: np.ndarray
    premium: np.ndarray  # yuan, 2 decimals
    start: np.ndarray  # policy term start, days since epoch
    failed: np.ndarray
    complained: np.ndarray
    has_case: np.ndarray
    touchpoint: np.ndarray  # index into the touchpoints given
    cause: np.ndarray
    dimension: np.ndarray
    occurred: np.ndarray  # epoch seconds
    opened: np.ndarray
    first_response: np.ndarray  # seconds after opening
    outcome: np.ndarray
    recover_seconds: np.ndarray
    decided_after: np.ndarray  # seconds from receipt to the decision told to the complainant
    channel: np.ndarray
    renewed: np.ndarray

    @property
    def cases(self) -> int:
        return int(self.has_case.sum())


def draw(params: Params, *, customers: int, seed: int, until: date, outlets: int, touchpoints: int) -> Year:
    rng = np.random.Generator(np.random.PCG64(seed))
    n = customers
    epoch_until = (until - date(1970, 1, 1)).days
    segment = rng.integers(0, len(SEGMENTS), n)
    premium = np.round(
        np.exp(rng.normal(np.log(3000), 0.8, n)) * np.where(SEGMENTS[segment] == "key_account", 20, 1), 2
    )
    # Terms start in the year before the simulated one, so every term ends (comes up for renewal) within it.
    start = epoch_until - 730 + rng.integers(0, 365, n)
    failed = rng.random(n) < params.failure_rate
    dissatisfied = failed & (rng.random(n) < params.dissatisfied_rate)
    complained = dissatisfied & (rng.random(n) < params.complaint_rate)
    proactive = failed & ~complained & (rng.random(n) < params.proactive_rate)
    has_case = complained | proactive
    # The failure falls inside the term, early enough for the recovery to end before the renewal.
    occurred = (start + 10 + rng.random(n) * 250) * DAY
    lag = np.where(complained, rng.random(n) * 3 * DAY, rng.random(n) * 0.5 * DAY)
    opened = occurred + lag
    u = rng.random(n)
    outcome = np.where(
        u < params.recovered_rate,
        OUTCOME_RECOVERED,
        np.where(
            u < params.recovered_rate + (1 - params.recovered_rate) * params.unreachable_rate,
            OUTCOME_UNREACHABLE,
            OUTCOME_NOT_RECOVERED,
        ),
    )
    recover_days = np.exp(rng.normal(np.log(params.recover_median_days), params.recover_sigma, n))
    recover_seconds = np.minimum(recover_days, 90.0) * DAY
    first_response = np.exp(rng.normal(np.log(4 * 3600), 0.9, n))
    decided_after = np.where(
        outcome == OUTCOME_RECOVERED,
        np.minimum(recover_seconds, 59 * DAY),
        rng.uniform(3, 45, n) * DAY,
    )
    p_renew = np.where(
        ~has_case,
        np.where(failed, params.renew_silent, params.renew_no_failure),
        np.select(
            [outcome == OUTCOME_RECOVERED, outcome == OUTCOME_UNREACHABLE],
            [
                np.where(recover_days <= params.fast_days, params.renew_recovered_fast, params.renew_recovered_slow),
                params.renew_unreachable,
            ],
            params.renew_not_recovered,
        ),
    )
    renewed = rng.random(n) < p_renew
    return Year(
        until=until,
        n=n,
        segment=segment,
        outlet=rng.integers(0, max(outlets, 1), n),
        line=rng.integers(0, len(LINES), n),
        premium=premium,
        start=start,
        failed=failed,
        complained=complained,
        has_case=has_case,
        touchpoint=rng.integers(0, max(touchpoints, 1), n),
        cause=rng.choice(len(CAUSES), n, p=CAUSE_P),
        dimension=rng.integers(0, len(DIMENSIONS), n),
        occurred=occurred,
        opened=opened,
        first_response=first_response,
        outcome=outcome,
        recover_seconds=recover_seconds,
        decided_after=decided_after,
        channel=rng.integers(0, len(CHANNELS), n),
        renewed=renewed,
    )


def at(seconds: float) -> datetime:
    return datetime.fromtimestamp(float(seconds), tz=UTC)


def day(days: int) -> date:
    return date(1970, 1, 1) + timedelta(days=int(days))


def summary(year: Year) -> dict[str, Any]:
    return {
        "customers": year.n,
        "failed": int(year.failed.sum()),
        "complained": int(year.complained.sum()),
        "cases": year.cases,
        "recovered": int((year.has_case & (year.outcome == OUTCOME_RECOVERED)).sum()),
        "renewed": int(year.renewed.sum()),
    }
