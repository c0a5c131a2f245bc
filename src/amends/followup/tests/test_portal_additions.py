"""The complainant adds a message and files on their status page: kept on their case as a message from the
customer with its evidence, seen by staff on the case page, shown back to the complainant, limited per day,
and scoped by the private link alone."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from PIL import Image

from amends.assembly.testing import PASSWORD
from amends.correspondence.models import Attachment, Message
from amends.followup.models import PortalSubmission
from amends.recovery.models import TimelineEntry

from .helpers import portal_post, status_path


@pytest.fixture(autouse=True)
def media(tmp_path):
    with override_settings(MEDIA_ROOT=str(tmp_path / "media")):
        yield


def photo() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), "#23794a").save(out, "JPEG")
    return SimpleUploadedFile("IMG_2041.JPG", out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def status(world, now):
    client = Client()
    path = status_path(portal_post(client))
    return client, path


def test_a_message_with_a_photo_reaches_the_case_and_is_shown_back(world, status):
    client, path = status
    answer = client.post(path + "add/", {"text": "补充：这是车损照片。", "files": [photo()]})
    assert answer.status_code == 302 and answer["Location"] == path + "?added=1#add"
    complaint = PortalSubmission.objects.get().complaint
    message = Message.objects.get()
    assert (message.direction, message.channel, message.status) == ("in", "portal", "received")
    assert (message.case_id, message.complaint_id, message.body) == (
        complaint.case_id,
        complaint.pk,
        "补充：这是车损照片。",
    )
    attachment = Attachment.objects.get()
    assert (attachment.message_id, attachment.source, attachment.original_name) == (
        message.pk,
        "portal",
        "IMG_2041.JPG",
    )
    assert attachment.thumbnail
    assert TimelineEntry.objects.filter(case_id=complaint.case_id, kind="message_in").exists()
    page = client.get(answer["Location"]).content.decode()
    assert "补充：这是车损照片。" in page and "IMG_2041.JPG" in page and 'role="status"' in page
    staff = Client()
    staff.login(username=world.admin.username, password=PASSWORD)
    case_page = staff.get(f"/cases/{complaint.case_id}/").content.decode()
    assert "补充：这是车损照片。" in case_page and "IMG_2041.JPG" in case_page


def test_a_program_is_refused_with_its_name_and_nothing_is_kept(world, status):
    client, path = status
    bad = SimpleUploadedFile("发票.pdf", b"MZ\x90\x00" + b"\x00" * 60)
    page = client.post(path + "add/", {"text": "发票", "files": [bad]})
    assert page.status_code == 422 and "发票.pdf" in page.content.decode()
    assert not Message.objects.exists() and not Attachment.objects.exists()


def test_an_empty_addition_is_refused(world, status):
    client, path = status
    assert client.post(path + "add/", {"text": "  "}).status_code == 422


@override_settings(AMENDS_PORTAL_ADDITIONS_PER_DAY=2)
def test_additions_are_limited_per_day(world, status):
    client, path = status
    for n in range(2):
        assert client.post(path + "add/", {"text": f"补充{n}"}).status_code == 302
    assert client.post(path + "add/", {"text": "再补充"}).status_code == 429


def test_a_forged_link_adds_nothing(world, status):
    client, _path = status
    assert client.post("/complain/status/not-a-token/add/", {"text": "x"}).status_code == 404
    assert not Message.objects.exists()
