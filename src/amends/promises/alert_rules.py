"""The promise rules in the early-warning framework: configured like every other rule (on/off, lead time),
run by promises' own sweep (`tasks.sweep_promises`) because breaking a promise is a promise's state change.
`assembly.wiring` registers them with early warning."""

from __future__ import annotations

from amends.warning.rules import Rule


class PromiseDueSoon(Rule):
    """Warn whoever made a promise that it is due within `lead_minutes`."""

    code = "promise_due_soon"
    on_schedule = True
    scheduled_by = "amends.promises.tasks.sweep_promises"


class PromiseOverdue(Rule):
    """A promise past its due time is broken: a reliability failure (gap 3) that opens or joins a case."""

    code = "promise_overdue"
    on_schedule = True
    scheduled_by = "amends.promises.tasks.sweep_promises"
