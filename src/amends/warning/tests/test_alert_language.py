"""An alert's title is kept as its message and rendered in the reader's language, whatever the language of the
request that raised it (the issue saw "Claim …: the claims system requires 尾灯总成 back" in the Chinese inbox)."""

from datetime import timedelta

from django.utils import translation

from amends.core import texts
from amends.warning.models import Alert, Severity

from .helpers import ev, ingest
from .test_pages import login


def test_an_alert_raised_in_english_reads_in_chinese_and_back(client, world, now):
    with translation.override("en"):
        ingest(ev("parts_list.issued", now - timedelta(days=1), claim="CL300", salvage_parts=["后保险杠"]))
        ingest(ev("salvage.required", now, claim="CL300", part="尾灯总成", amount="300.00"))
    alert = Alert.objects.get()
    assert alert.title.startswith("Claim CL300: the claims system requires 尾灯总成 back")  # as first written
    login(client, world.handler)
    client.cookies["django_language"] = "zh-hans"
    page = client.get("/alerts/").content.decode()
    assert "Claim CL300" not in page and "尾灯总成" in page
    with translation.override("zh-hans"):
        chinese = alert.shown_title
    assert chinese in page and "CL300" in chinese and "300.00" in chinese
    client.cookies["django_language"] = "en"
    assert "Claim CL300: the claims system requires 尾灯总成 back" in client.get("/alerts/").content.decode()


def test_an_alert_kept_before_messages_shows_its_text_as_written(world, now):
    ingest(ev("parts_list.issued", now - timedelta(days=1), claim="CL300", salvage_parts=["后保险杠"]))
    ingest(ev("salvage.required", now, claim="CL300", part="尾灯总成", amount="300.00"))
    Alert.objects.update(title="旧的预警标题", title_text={})
    with translation.override("en"):
        assert Alert.objects.get().shown_title == "旧的预警标题"


def test_translatable_parameters_are_kept_by_their_message_id():
    with translation.override("en"):
        message = texts.Message("Claim %(claim)s: %(name)s breached", claim="CL1", name=Severity.CRITICAL.label)
        kept = texts.stored(message)
        english_label = str(Severity.CRITICAL.label)
    with translation.override("zh-hans"):
        chinese, chinese_label = texts.render(kept, str(message)), str(Severity.CRITICAL.label)
    assert chinese_label != english_label and chinese_label in chinese and english_label not in chinese
    with translation.override("en"):
        assert texts.render(kept) == str(message) == f"Claim CL1: {english_label} breached"
    assert texts.render({"msgid": "%(x)s and %(y)s", "params": {"x": 1}}, "as written") == "as written"
    assert texts.render({}, "as written") == "as written" and texts.stored("plain text") == {}
