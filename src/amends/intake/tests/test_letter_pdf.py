"""The decision letter as a PDF with Chinese fonts: the same text as the printable page (extracted back from
the file: the result and the relief routes in Chinese), stored once when sent and served unchanged after, a
draft drawn but never stored, scoped like the page (the complainant's copy: followup's test_portal_procedure)."""

import io
import re
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.test import Client, override_settings
from pypdf import PdfReader

from amends.assembly.testing import receive
from amends.intake import services
from amends.intake.models import DecisionLetter

DECISION = {
    "decision": "部分支持：赔付维修费，不支持精神损失。",
    "result": "partly_upheld",
    "facts": "定损员未按约定时间到场，延误两日。",
    "reasons": "依据保险合同第十二条及公司服务承诺。",
    "offer": "赔付维修费并补偿交通费。",
}


@pytest.fixture(autouse=True)
def media(tmp_path):
    with override_settings(MEDIA_ROOT=str(tmp_path / "media")):
        yield


def text_of(pdf: bytes) -> str:
    """The PDF's text through its ToUnicode map, without spacing (the extractor places spaces by the glyphs'
    positions) and without the NULs pypdf puts in when it reads the font's two-byte codes one byte at a time
    (the embedded encoding CMap declares <0000>-<FFFF>; viewers read it right)."""
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"[\s\x00]+", "", "".join(page.extract_text() for page in reader.pages))


@pytest.fixture
def sent(world, now):
    complaint = receive(world.frontline, world.individual)
    services.complaint_decide(actor=world.handler, complaint_id=complaint.pk, **DECISION)
    return DecisionLetter.objects.get(complaint=complaint)


def test_the_pdf_holds_the_letter_as_sent_in_chinese_and_is_stored_once(world, sent):
    client = Client()
    client.force_login(world.handler)
    answer = client.get(f"/letters/{sent.pk}/pdf/")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF")
    text = text_of(answer.content)
    assert sent.status == "sent" and sent.body
    assert text == re.sub(r"\s+", "", sent.body)  # the same text as the printable page, nothing else
    for said in ("部分支持", "申请核查", "调解", "仲裁", "诉讼", "12378", sent.complaint.reference):
        assert said in text, said
    name = f"letters/{sent.pk}.pdf"
    assert default_storage.exists(name)
    with default_storage.open(name, "rb") as stored:
        assert stored.read() == answer.content
    assert client.get(f"/letters/{sent.pk}/pdf/").content == answer.content  # served from storage
    assert f'href="/letters/{sent.pk}/pdf/"' in client.get(f"/letters/{sent.pk}/").content.decode()


def test_another_branch_gets_no_pdf_and_a_missing_font_is_said(world, sent):
    client = Client()
    client.force_login(world.beijing_handler)
    assert client.get(f"/letters/{sent.pk}/pdf/").status_code == 404
    client.force_login(world.handler)
    with override_settings(AMENDS_LETTER_FONT="/nowhere/font.ttc"):
        missing = client.get(f"/letters/{sent.pk}/pdf/")
    assert missing.status_code == 503 and "fonts-noto-cjk" in missing.content.decode()


@override_settings(AMENDS_LETTER_CHECK_ABOVE="500")
def test_a_draft_is_drawn_but_not_stored(world, now):
    complaint = receive(world.frontline, world.individual)
    services.complaint_decide(actor=world.handler, complaint_id=complaint.pk, offer_amount=Decimal("800"), **DECISION)
    draft = DecisionLetter.objects.get(complaint=complaint)
    assert draft.status != "sent"
    client = Client()
    client.force_login(world.handler)
    answer = client.get(f"/letters/{draft.pk}/pdf/")
    assert answer.status_code == 200 and "申请核查" in text_of(answer.content)
    assert not default_storage.exists(f"letters/{draft.pk}.pdf")
