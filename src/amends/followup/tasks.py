"""Background work of follow-up, run by `amends worker` on its schedule (see `apps.py`)."""

from __future__ import annotations

from dataclasses import asdict

from django_tasks import task

from . import services


@task()
def sweep_surveys() -> dict[str, int]:
    """Send due follow-up surveys, remind, and turn unanswered ones into callbacks."""
    result = asdict(services.surveys_sweep())
    result.pop("ids", None)
    return result


@task()
def sample_callbacks() -> dict[str, int]:
    """Draw the day's callbacks from customers who passed a touchpoint without complaining."""
    return {"created": len(services.callbacks_sample())}
