"""Background work `amends bench cluster` puts on Redis to time RQ workers (never enqueued by the product).

`ingest_events_batch` is what `POST /api/v1/events` does with a batch, minus HTTP: the batch's JSON as a sender
sent it, through `event_ingest` (the on-ingest rules included, in one transaction). The rules' follow-on work
(`warning.tasks.open_cases_for_alerts`) is enqueued by the product itself, on the same queue.
"""

from __future__ import annotations

import json

from django_tasks import task


@task()
def ingest_events_batch(body: str) -> dict[str, int]:
    """One batch (`{"events": [...]}`, as the API takes it) stored by the worker; its counts."""
    from amends.warning.services import event_ingest

    result = event_ingest(actor=None, events=json.loads(body)["events"], text=body, shape="batch")
    return {"accepted": result.accepted, "duplicates": result.duplicates, "alerts": result.alerts}
