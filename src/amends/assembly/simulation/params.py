"""The stated parameters of a simulated insurer's year, and what the retention report should find given them.

Defaults are the seeds' figures where the seeds give one (4% of dissatisfied customers complain; 60% of
complainants whose problem is solved buy again, 95% when it is solved fast; 82–95% loyalty after quick
recovery) and plain assumptions, named as such, where they do not.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Params:
    # Who has a service failure during the policy term, and what the customer does about it.
    failure_rate: float = 0.30  # assumption: share of customers with a failure in the term
    dissatisfied_rate: float = 0.75  # assumption: share of failures that leave the customer dissatisfied
    complaint_rate: float = 0.04  # seeds: only 4% of dissatisfied customers complain
    # Failures found without a complaint (early warning, callbacks): assumption.
    proactive_rate: float = 0.25
    # Recovery of a case: outcome, and how long it takes when it works.
    recovered_rate: float = 0.80  # assumption
    unreachable_rate: float = 0.05  # assumption: of the cases not recovered, the rest being not recovered
    recover_median_days: float = 3.0  # assumption: median days to recover (log-normal, sigma below)
    recover_sigma: float = 1.0
    fast_days: float = 3.0  # "solved fast": within this many days
    # Renewal (the "buy again" of the seeds) by what the customer lived through.
    renew_no_failure: float = 0.85  # assumption: baseline renewal
    renew_silent: float = 0.55  # assumption: failed, said nothing, nobody noticed (the silent 96%)
    renew_recovered_slow: float = 0.60  # seeds: solved → 60% buy again
    renew_recovered_fast: float = 0.95  # seeds: solved fast → 95% (TARP: 82–95% after quick recovery)
    renew_not_recovered: float = 0.20  # assumption
    renew_unreachable: float = 0.40  # assumption

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def validate(self) -> list[str]:
        wrong = [
            k for k, v in asdict(self).items() if k.endswith(("rate", "_no_failure", "_silent")) and not 0 <= v <= 1
        ]
        wrong += [k for k, v in asdict(self).items() if k.startswith("renew_") and not 0 <= v <= 1]
        if self.recover_median_days <= 0 or self.recover_sigma <= 0 or self.fast_days <= 0:
            wrong.append("recover_median_days/recover_sigma/fast_days")
        return sorted(set(wrong))


def expected_rates(p: Params) -> dict[str, float]:
    """The renewal rate each group of the retention report should show, from the parameters alone.

    "No recorded failure" mixes customers without a failure and those whose failure nobody recorded (no
    complaint, not found proactively): the silent ones are invisible, which is the point of the 4%."""
    fail = p.failure_rate
    complain = p.dissatisfied_rate * p.complaint_rate
    proactive = (1 - complain) * p.proactive_rate
    silent = fail * (1 - complain - proactive)
    none = 1 - fail
    no_record = (none * p.renew_no_failure + silent * p.renew_silent) / (none + silent)
    not_recovered = 1 - p.recovered_rate
    unreach = not_recovered * p.unreachable_rate
    never = not_recovered - unreach
    from math import erf, log, sqrt

    def below(days: float) -> float:  # log-normal CDF of the days to recover
        return 0.5 * (1 + erf((log(days) - log(p.recover_median_days)) / (p.recover_sigma * sqrt(2))))

    fast_share = below(p.fast_days)
    recovered = fast_share * p.renew_recovered_fast + (1 - fast_share) * p.renew_recovered_slow
    any_case = p.recovered_rate * recovered + unreach * p.renew_unreachable + never * p.renew_not_recovered
    return {
        "no_recorded_failure": no_record,
        "recorded_failure": any_case,
        "recovered": recovered,
        "recovered_fast": p.renew_recovered_fast,
        "recovered_slow": p.renew_recovered_slow,
        "not_recovered": p.renew_not_recovered,
        "unreachable": p.renew_unreachable,
    }
