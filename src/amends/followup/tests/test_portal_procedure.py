"""On their status page the complainant withdraws an undecided complaint and asks for a review (核查) of a decided
one, through intake's own services: the same audit, timeline and notices as staff; refusals (a decided complaint
withdrawn, a review asked too late or twice) said on the page; only the complaint the link was issued for."""

import io
import re
from datetime import timedelta

import pytest
from django.test import Client, TestCase, override_settings
from pypdf import PdfReader

from amends.assembly.testing import at
from amends.audit.models import AuditEntry
from amends.core import clock
from amends.correspondence.models import Message
from amends.followup.models import PortalSubmission
from amends.intake.models import Complaint, ComplaintNotice, Review
from amends.intake.services import complaint_decide
from amends.recovery.models import TimelineEntry

from .helpers import portal_post, status_path


@pytest.fixture
def status(world, now):
    client = Client()
    path = status_path(portal_post(client))
    return client, path, PortalSubmission.objects.get().complaint


def post(client: Client, path: str, data: dict[str, str]):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(path, data)


def decide(world, complaint: Complaint) -> Complaint:
    with TestCase.captureOnCommitCallbacks(execute=True):
        return complaint_decide(
            actor=world.admin,
            complaint_id=complaint.pk,
            decision="部分支持：赔付维修费。",
            result="partly_upheld",
            facts="定损员未按约定时间到场，延误两日。",
            reasons="依据保险合同第十二条及公司服务承诺。",
        )


def kinds(complaint: Complaint) -> list[str]:
    return list(ComplaintNotice.objects.filter(complaint=complaint).order_by("at", "pk").values_list("kind", flat=True))


def test_the_complainant_withdraws_an_undecided_complaint_and_is_told(world, status, now):
    client, path, complaint = status
    page = client.get(path).content.decode()
    assert "撤回我的投诉" in page and 'review/"' not in page
    answer = post(client, path + "withdraw/", {"reason": "已与理赔员协商解决"})
    assert answer.status_code == 302 and answer["Location"] == path + "?done=withdrawn#procedure"
    complaint.refresh_from_db()
    assert complaint.withdrawn_at == complaint.decided_at == now and complaint.decision == "已与理赔员协商解决"
    assert kinds(complaint) == ["withdrawal"]
    entry = TimelineEntry.objects.get(case_id=complaint.case_id, kind="withdrawn")
    assert entry.data["by_customer"] is True
    assert AuditEntry.objects.filter(action="complaint.withdraw", object_id=str(complaint.pk)).exists()
    assert Message.objects.filter(complaint_id=complaint.pk, template_key="complaint.withdrawal").exists()
    page = client.get(answer["Location"]).content.decode()
    assert "您的投诉已撤回" in page and "撤回我的投诉" not in page
    assert 'pub-step__title">已撤回' in page and "已与理赔员协商解决" in page  # the stage says so, with the reason
    # Again (a second tab): refused and said on the page.
    again = post(client, path + "withdraw/", {})
    assert again.status_code == 409 and "已撤回" in again.content.decode()


def test_a_decided_complaint_cannot_be_withdrawn_but_its_review_can_be_asked_once(world, status, now):
    client, path, complaint = status
    decide(world, complaint)
    page = client.get(path).content.decode()
    assert "撤回我的投诉" not in page
    assert "定损员未按约定时间到场" in page and 'review/"' in page  # the letter as sent, and the way to contest it
    refused = post(client, path + "withdraw/", {"reason": "不想投诉了"})
    assert refused.status_code == 409 and "此投诉已作出处理决定" in refused.content.decode()
    complaint.refresh_from_db()
    assert complaint.withdrawn_at is None

    empty = post(client, path + "review/", {"grounds": "  "})
    assert empty.status_code == 422 and not Review.objects.exists()
    with clock.frozen(now + timedelta(days=3)):
        answer = post(client, path + "review/", {"grounds": "维修费只赔了一半，不合理。"})
    assert answer.status_code == 302 and answer["Location"] == path + "?done=review#procedure"
    review = Review.objects.get(complaint=complaint)
    assert review.grounds == "维修费只赔了一半，不合理。" and review.due_at > now
    assert kinds(complaint)[-1] == "review"
    assert TimelineEntry.objects.get(case_id=complaint.case_id, kind="review").data["by_customer"] is True
    page = client.get(answer["Location"]).content.decode()
    assert "维修费只赔了一半" in page and review.due_at.strftime("%Y-%m-%d") in page
    twice = post(client, path + "review/", {"grounds": "再次申请"})
    assert twice.status_code == 409 and "已对此处理决定申请过核查" in twice.content.decode()
    assert Review.objects.count() == 1


def test_a_review_asked_too_late_is_refused_on_the_page(world, status, now):
    client, path, complaint = status
    decide(world, complaint)
    with clock.frozen(at("2027-01-20 10:00")):
        assert 'review/"' not in client.get(path).content.decode()  # no longer offered
        late = post(client, path + "review/", {"grounds": "不同意"})
    assert late.status_code == 409 and "申请核查的期限已过" in late.content.decode()
    assert not Review.objects.exists()


def test_the_link_acts_only_on_its_own_complaint(world, status, now):
    client, _path, complaint = status
    other_path = status_path(portal_post(Client(), address="198.51.100.9", name="王芳", phone="13900001111"))
    post(client, other_path + "withdraw/", {})
    other = PortalSubmission.objects.exclude(complaint=complaint).get().complaint
    other.refresh_from_db()
    complaint.refresh_from_db()
    assert other.withdrawn_at is not None and complaint.withdrawn_at is None
    assert Client().post("/complain/status/not-a-real-token/withdraw/", {}).status_code == 404
    assert Client().post("/complain/status/not-a-real-token/review/", {"grounds": "x"}).status_code == 404


def test_the_complainant_downloads_the_letter_as_sent_from_their_link(world, status, tmp_path):
    client, path, complaint = status
    with override_settings(MEDIA_ROOT=str(tmp_path / "media")):
        assert client.get(path + "letter.pdf").status_code == 404  # nothing sent yet
        decide(world, complaint)
        assert 'letter.pdf"' in client.get(path).content.decode()
        answer = client.get(path + "letter.pdf")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    text = re.sub(r"[\s\x00]+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(answer.content)).pages))
    assert "部分支持" in text and "申请核查" in text and complaint.reference in text
    assert Client().get("/complain/status/not-a-real-token/letter.pdf").status_code == 404
