"""Evidence on a case: accepted by what the content is (not the name), names cleaned, a thumbnail for pictures,
downloads scoped and audited, and no file kept without its row."""

import io
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings

from amends.assembly.testing import PASSWORD, receive
from amends.audit.models import AuditEntry
from amends.core import clock
from amends.core.errors import InvalidInput
from amends.correspondence import evidence, rules
from amends.correspondence.models import Attachment
from amends.recovery.models import Case, TimelineEntry

from .conftest import png_bytes

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (png_bytes((4, 4)), "image/png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 20, "image/jpeg"),
        (PDF, "application/pdf"),
        (b"RIFF\x00\x00\x00\x00WAVEfmt ", "audio/wav"),
        (b"\x00\x00\x00\x20ftypM4A \x00\x00", "audio/mp4"),
        (EXE, None),
        (b"<html><script>alert(1)</script>", None),
    ],
)
def test_the_kind_is_read_from_the_first_bytes(content, expected):
    kind = rules.sniff(content[:64])
    assert (kind.content_type if kind else None) == expected


def test_an_office_document_is_told_apart_from_any_zip():
    data = docx()
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert rules.sniff(data[:64], zip_names=names).extension == ".docx"
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as z:
        z.writestr("payload.exe", "x")
    assert rules.sniff(plain.getvalue()[:64], zip_names=["payload.exe"]) is None


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("定损照片.jpg", "定损照片.jpg"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\张伟\\发票.pdf", "发票.pdf"),
        ('a<b>"c|d?.png', "a_b_c_d_.png"),
        ("...", "file"),
        ("x" * 300 + ".pdf", "x" * 116 + ".pdf"),
    ],
)
def test_names_are_cleaned(given, shown):
    assert rules.clean_name(given) == shown


@pytest.fixture
def case(world, now):
    return Case.objects.select_related("customer").get(pk=receive(world.handler, world.individual).case_id)


def login(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def stored_files(media: Path) -> list[str]:
    return sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()) if media.exists() else []


def test_a_photo_attached_on_the_case_page_has_a_thumbnail_and_a_scoped_audited_download(world, case, media):
    client = login(world.handler)
    photo = SimpleUploadedFile("车损照片.png", png_bytes(), content_type="application/octet-stream")
    answer = client.post(f"/cases/{case.pk}/attachments/", {"file": photo, "about": "case", "note": "左后尾灯"})
    assert answer.status_code == 302 and answer["Location"].endswith("#evidence")
    attachment = Attachment.objects.get()
    assert attachment.original_name == "车损照片.png"
    assert (attachment.content_type, attachment.source) == ("image/png", "staff")
    assert attachment.file.name.endswith(".png") and "车损" not in attachment.file.name  # stored under a generated name
    assert len(stored_files(media)) == 2  # the file and its thumbnail
    assert TimelineEntry.objects.filter(case=case, kind="attachment", text="车损照片.png").exists()
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "车损照片.png" in page and f"/attachments/{attachment.pk}/thumbnail/" in page
    thumb = client.get(f"/attachments/{attachment.pk}/thumbnail/")
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
    download = client.get(f"/attachments/{attachment.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == png_bytes()
    assert "attachment;" in download["Content-Disposition"] and download["X-Content-Type-Options"] == "nosniff"
    assert AuditEntry.objects.filter(action="attachment.download", actor=world.handler).count() == 1
    # Another province's handler cannot see it, nor its thumbnail.
    other = login(world.beijing_handler)
    assert other.get(f"/attachments/{attachment.pk}/").status_code == 404
    assert other.get(f"/attachments/{attachment.pk}/thumbnail/").status_code == 404


def test_a_program_named_as_a_photo_is_refused_and_nothing_is_kept(world, case, media):
    page = login(world.handler).post(
        f"/cases/{case.pk}/attachments/", {"file": SimpleUploadedFile("photo.jpg", EXE, content_type="image/jpeg")}
    )
    assert page.status_code == 422 and "field__error" in page.content.decode()
    assert not Attachment.objects.exists() and stored_files(media) == []


@override_settings(AMENDS_ATTACHMENT_MAX_BYTES=1000)
def test_a_file_over_the_limit_is_refused(world, case):
    with pytest.raises(InvalidInput) as refused:
        evidence.attachment_add(actor=world.handler, case=case, upload=SimpleUploadedFile("big.pdf", PDF + b" " * 2000))
    assert "file" in refused.value.fields


def test_a_damaged_picture_is_refused(world, case):
    broken = png_bytes()[:60]
    with pytest.raises(InvalidInput):
        evidence.attachment_add(actor=world.handler, case=case, upload=SimpleUploadedFile("x.png", broken))


def test_the_api_takes_a_multipart_file_and_lists_it_on_the_case(world, case):
    client = Client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {world.token(world.handler)}"}
    url = f"/api/v1/cases/{case.pk}/attachments"
    answer = client.post(url, {"file": SimpleUploadedFile("保单批单.docx", docx()), "note": "批单"}, **headers)
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["name"] == "保单批单.docx" and body["content_type"].endswith("wordprocessingml.document")
    detail = client.get(f"/api/v1/cases/{case.pk}", **headers).json()
    assert [a["name"] for a in detail["attachments"]] == ["保单批单.docx"]
    got = client.get(body["url"], **headers)
    assert got.status_code == 200 and b"".join(got.streaming_content) == docx()
    assert AuditEntry.objects.filter(action="attachment.add").count() == 1
    # The error shape for a refused file, a missing one, and another province.
    bad = client.post(url, {"file": SimpleUploadedFile("a.pdf", EXE)}, **headers)
    assert bad.status_code == 422 and set(bad.json()) == {"error", "detail", "fields"}
    assert "file" in bad.json()["fields"]
    missing = client.post(url, {}, **headers)
    assert missing.status_code == 422 and set(missing.json()) == {"error", "detail", "fields"}
    other = {"HTTP_AUTHORIZATION": f"Bearer {world.token(world.beijing_handler)}"}
    assert client.get(body["url"], **other).status_code == 404
    assert client.post(url, {"file": SimpleUploadedFile("a.pdf", PDF)}, **other).status_code == 404


def test_a_file_can_be_about_a_complaint_of_the_case_but_not_of_another(world, case):
    mine = case.complaints.get()
    other = receive(world.beijing_handler, world.beijing_customer)
    ok = evidence.attachment_add(
        actor=world.handler, case=case, upload=SimpleUploadedFile("a.pdf", PDF), complaint_id=mine.pk
    )
    assert ok.complaint_id == mine.pk
    with pytest.raises(InvalidInput) as refused:
        evidence.attachment_add(
            actor=world.handler, case=case, upload=SimpleUploadedFile("a.pdf", PDF), complaint_id=other.pk
        )
    assert "complaint" in refused.value.fields


def test_a_file_whose_row_never_committed_is_removed_by_the_sweep(world, media):
    # The real clock: the sweep compares the storage's own modification times.
    case = Case.objects.get(pk=receive(world.handler, world.individual).case_id)
    kept = evidence.attachment_add(actor=world.handler, case=case, upload=SimpleUploadedFile("kept.pdf", PDF))
    with pytest.raises(RuntimeError), transaction.atomic():
        evidence.attachment_add(actor=world.handler, case=case, upload=SimpleUploadedFile("lost.png", png_bytes()))
        raise RuntimeError("the request failed after the upload")
    assert len(stored_files(media)) == 3  # kept.pdf, and the orphaned picture with its thumbnail
    assert evidence.attachments_clean_orphans() == 0  # too young: it may still be committing
    assert evidence.attachments_clean_orphans(now=clock.now() + timedelta(days=2)) == 2
    assert stored_files(media) == [kept.file.name]
