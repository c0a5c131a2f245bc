"""Background work of the ground floor, run by `amends worker` on its schedule (`assembly.wiring`)."""

from __future__ import annotations

from django_tasks import task

from . import throttle


@task()
def purge_throttles() -> dict[str, int]:
    """Forget rate-limit counters whose window has passed."""
    return {"deleted": throttle.purge()}
