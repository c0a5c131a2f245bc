"""Background work of insights, run by `amends worker`: keeping the report facts current, so that a report
seldom finds much to recompute first."""

from __future__ import annotations

from django_tasks import task


@task()
def bring_facts_up_to_date() -> int:
    """Recompute the facts of the rows changed since the last run and note when; answers how many notes it
    handled."""
    from .facts import bring_up_to_date, checked

    handled = bring_up_to_date()
    checked()
    return handled
