"""Background work of early warning, run by `amends worker`: the scheduled rules' sweep."""

from __future__ import annotations

from django_tasks import task

from amends.core import clock


@task()
def sweep_rules() -> dict[str, int]:
    """Run every enabled scheduled rule once; alerts raised per rule configuration."""
    from .rules.runner import run_scheduled

    return run_scheduled(now=clock.now())
