"""Background work of correspondence: one try at sending a message, and the sweep that retries."""

from __future__ import annotations

from django_tasks import task

from . import evidence, services


@task()
def deliver_message(message_id: int) -> str:
    """Send one queued message (enqueued when the write that queued it commits)."""
    return services.message_deliver(message_id=message_id)


@task()
def retry_messages() -> dict[str, int]:
    """Enqueue a try for each queued message whose wait is over."""
    return {"enqueued": services.messages_retry()}


@task()
def clean_orphan_files() -> dict[str, int]:
    """Remove evidence files whose row never committed."""
    return {"removed": evidence.attachments_clean_orphans()}
