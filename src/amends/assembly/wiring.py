"""Every hook between the apps, in one place: what apps above add to a lower app's work without the lower app
importing them, and what the worker runs on a schedule.

Read it as the map of a complaint's path beyond intake and recovery themselves: text reads every complaint
as it arrives (flags, suggested codes, a near-duplicate's case) and adds two keys to intake's answer; the case
page and `GET /cases/{id}` show what each app hangs on a case, slot by slot in page order; a merged case's
promises, alerts and discretion requests follow it; promises' rules join early warning's. `connect()` runs
once, from `AssemblyConfig.ready()`; nothing else registers anything across apps.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

from amends.assembly.waiting import send_digests
from amends.core.schedule import Entry
from amends.core.sections import Section
from amends.core.tasks import purge_throttles
from amends.correspondence import queries as correspondence
from amends.correspondence.contacts import preference_reads, register_preference
from amends.correspondence.models import Message
from amends.correspondence.notices import complaint_notice_send
from amends.correspondence.tasks import clean_orphan_files, retry_messages
from amends.customers.queries import CUSTOMER_SECTIONS
from amends.discretion import queries as discretion
from amends.discretion.models import DiscretionRequest
from amends.discretion.tasks import escalate_approvals
from amends.followup import queries as followup
from amends.followup.tasks import sample_callbacks, sweep_surveys
from amends.insights.tasks import bring_facts_up_to_date
from amends.intake import hooks as intake_hooks
from amends.intake import queries as intake
from amends.promises import queries as promises
from amends.promises.alert_rules import PromiseDueSoon, PromiseOverdue
from amends.promises.models import Promise
from amends.promises.tasks import sweep_promises
from amends.recovery import queries as recovery
from amends.recovery.queries import CASE_SECTIONS
from amends.recovery.services import absorb_rows_of, add_relator
from amends.text import queries as text
from amends.text import services as text_services
from amends.warning import queries as warning
from amends.warning import rules as warning_rules
from amends.warning.models import Alert
from amends.warning.tasks import sweep_rules

_connected = False


def connect() -> None:
    global _connected
    if _connected:
        return
    _connected = True

    # A complaint arrives (intake.services.complaint_receive): recovery's case opening may join it to the open
    # case of a near-duplicate text finds; text reads it in the same transaction (flags and suggestions, a
    # higher priority, alerts) and adds its findings to the API's answer (DESIGN §5).
    intake_hooks.register_receiver("text", text_services.complaint_read, creates=text_services.complaint_creates)
    add_relator(text.similar_open_case)
    intake_hooks.register_answer("flags", text.complaint_flags)
    intake_hooks.register_answer("suggested", text.complaint_suggested)

    # The case page and GET /cases/{id}, slot by slot in the order the page shows them.
    for section in (
        Section("flags", text.case_flags, "text/_case_flags.html", "head"),
        Section("eodc", followup.case_eodc, "followup/_case_eodc.html", "lead"),
        Section("discretion", discretion.case_discretion, "discretion/_case_discretion.html", "main"),
        Section("promises", promises.case_promises, "promises/_case_promises.html", "main"),
        Section("messages", correspondence.case_messages, "correspondence/_case_messages.html", "main"),
        Section("attachments", correspondence.case_attachments, "correspondence/_case_attachments.html", "main"),
        Section("notes", correspondence.case_notes, "correspondence/_case_notes.html", "main"),
        Section("playbook", warning.case_playbook, "warning/_case_playbook.html", "side"),
        Section("portal", followup.case_portal, "followup/_case_portal.html", "side"),
        Section("complaints", intake.case_complaints, "intake/_case_complaints.html", "side"),
        Section("coding", text.case_coding, "text/_case_coding.html", "side"),
        Section("suggested", text.case_suggested),  # the API's; the page shows them in the codes panel
    ):
        CASE_SECTIONS.add(section)

    # The customer page and GET /customers/{id}.
    CUSTOMER_SECTIONS.add(Section("cases", recovery.customer_cases, "recovery/_customer_cases.html", "main"))
    CUSTOMER_SECTIONS.add(Section("promises", promises.customer_promises, "promises/_customer_promises.html", "main"))

    # A case merged into another (intake.services.related.case_merge) hands over what hangs on it.
    absorb_rows_of(DiscretionRequest, action="discretion_request.merge")
    absorb_rows_of(Promise, action="promise.merge")
    absorb_rows_of(Alert, action="alert.merge")

    # Promises due soon or overdue are early-warning rules (configured like the others), run by promises' sweep.
    warning_rules.register(PromiseDueSoon)
    warning_rules.register(PromiseOverdue)

    # Messages to the customer go by the contact they chose on the portal, where they chose one.
    register_preference(followup.contact_preference, followup.CONTACT_PREFERENCE_AHEAD)

    # The notices the complaint measure requires (intake keeps each as a ComplaintNotice) leave as messages
    # through that contact, from the editable templates `complaint.<kind>`.
    # A receipt notice reads the portal preferences with the complaint's case read, and its message's id is
    # reserved there: the message joins the complaint's one write.
    intake_hooks.register_notice_sender(
        "correspondence", complaint_notice_send, reads=preference_reads, creates=[Message]
    )


def schedule() -> list[Entry]:
    """What `amends worker` runs, and how often."""
    return [
        Entry(sweep_promises, timedelta(seconds=settings.AMENDS_PROMISE_SWEEP_SECONDS)),
        Entry(sweep_rules, timedelta(seconds=settings.AMENDS_WARNING_SWEEP_SECONDS)),
        Entry(sweep_surveys, timedelta(seconds=settings.AMENDS_SURVEY_SWEEP_SECONDS)),
        Entry(sample_callbacks, timedelta(seconds=settings.AMENDS_CALLBACK_SAMPLE_SECONDS)),
        Entry(escalate_approvals, timedelta(seconds=settings.AMENDS_APPROVAL_SWEEP_SECONDS)),
        Entry(retry_messages, timedelta(seconds=settings.AMENDS_MESSAGE_SWEEP_SECONDS)),
        Entry(clean_orphan_files, timedelta(days=1)),
        Entry(send_digests, timedelta(days=1)),
        Entry(bring_facts_up_to_date, timedelta(seconds=settings.AMENDS_FACTS_REFRESH_SECONDS)),
        Entry(purge_throttles, timedelta(hours=1)),
    ]
