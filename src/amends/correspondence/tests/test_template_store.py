"""Templates are kept per process and read again when one changes: at once in the process that edits (the admin),
within AMENDS_TEMPLATE_CHECK_SECONDS in the others (a stamp of count and latest edit)."""

import time

from amends.correspondence import template_store
from amends.correspondence.models import MessageTemplate


def receipt_body() -> str:
    return template_store.template_for("complaint.receipt", ["zh-hans"]).body


def test_a_template_is_handed_out_as_a_copy(world, settings):
    settings.AMENDS_TEMPLATE_CHECK_SECONDS = 60
    template_store.invalidate()
    template_store.template_for("complaint.receipt", ["zh-hans"]).body = "changed by a caller"
    assert receipt_body() != "changed by a caller"
    assert template_store.template_for("complaint.receipt", ["xx", "en"]).language == "en"


def test_an_edit_elsewhere_is_seen_once_the_stamp_is_checked(world, settings):
    settings.AMENDS_TEMPLATE_CHECK_SECONDS = 60
    template_store.invalidate()
    before = receipt_body()
    row = MessageTemplate.objects.get(key="complaint.receipt", language="zh-hans")
    row.body = "已收到您的投诉 {complaint}。"
    row.save()  # as another process would: this one is not told
    assert receipt_body() == before  # kept: no statement
    settings.AMENDS_TEMPLATE_CHECK_SECONDS = 0.01
    time.sleep(0.02)
    assert receipt_body() == "已收到您的投诉 {complaint}。"


def test_an_admin_edit_is_used_at_once(world, settings, admin_client, django_capture_on_commit_callbacks):
    settings.AMENDS_TEMPLATE_CHECK_SECONDS = 60
    template_store.invalidate()
    row = MessageTemplate.objects.get(key="complaint.receipt", language="zh-hans")
    receipt_body()
    form = {"key": row.key, "language": row.language, "name": row.name, "subject": row.subject}
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/correspondence/messagetemplate/{row.pk}/change/", {**form, "body": "新 {complaint}"}
        )
    assert response.status_code == 302, response.content[:2000]
    assert receipt_body() == "新 {complaint}"
