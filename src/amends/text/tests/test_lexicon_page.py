"""The escalation lexicon is data quality managers keep without a deploy: on /lexicon/ they try a sentence,
add a term (it flags at once), retire one (it stops at once), and each edit is audited. Others may not."""

from amends.assembly.testing import PASSWORD
from amends.audit.models import AuditEntry
from amends.text import services
from amends.text.models import LexiconTerm

SENTENCE = "再不处理我就去找消费者权益保护委员会"


def signed_in(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def codes(text):
    return [f.code for f in services.lexicon_try(text)]


def test_a_quality_manager_adds_a_term_and_it_flags_at_once(client, world):
    assert "consumer_body" not in codes(SENTENCE)
    page = signed_in(client, world.quality).post(
        "/lexicon/", {"kind": "trigger", "flag": "consumer_body", "term": "消费者权益保护委员会", "note": "全称"}
    )
    assert page.status_code == 302
    assert "consumer_body" in codes(SENTENCE)
    row = LexiconTerm.objects.get(term="消费者权益保护委员会")
    assert AuditEntry.objects.filter(action="lexicon.add", object_id=str(row.pk), actor=world.quality).exists()
    tried = client.get("/lexicon/", {"text": SENTENCE}).content.decode()
    assert "consumer_body" in tried and "消费者权益保护委员会" in tried


def test_retiring_a_term_stops_it_and_restoring_brings_it_back(client, world):
    row = LexiconTerm.objects.get(term="12378", flag="regulator")
    signed_in(client, world.quality)
    assert "regulator" in codes("我已经打了12378")
    assert client.post(f"/lexicon/{row.pk}/active/", {"active": "0"}).status_code == 302
    assert "regulator" not in codes("我已经打了12378")
    client.post(f"/lexicon/{row.pk}/active/", {"active": "1"})
    assert "regulator" in codes("我已经打了12378")
    assert AuditEntry.objects.filter(action="lexicon.retire", object_id=str(row.pk)).count() == 1
    assert AuditEntry.objects.filter(action="lexicon.activate", object_id=str(row.pk)).count() == 1


def test_a_bad_term_is_refused_with_the_field_named_and_nothing_written(client, world):
    signed_in(client, world.quality)
    before = LexiconTerm.objects.count()
    for data, field in (
        ({"kind": "trigger", "flag": "", "term": "曝光到网上"}, "flag"),
        ({"kind": "trigger", "flag": "media", "term": "(", "is_pattern": "on"}, "term"),
        ({"kind": "trigger", "flag": "media", "term": ".*", "is_pattern": "on"}, "term"),
        ({"kind": "trigger", "flag": "regulator", "term": "12378"}, "term"),  # already there
    ):
        page = client.post("/lexicon/", data)
        assert page.status_code == 422, data
        assert field in page.context["form"].errors, data
    assert LexiconTerm.objects.count() == before


def test_only_quality_managers_and_admins_keep_the_lexicon(client, world):
    assert signed_in(client, world.handler).get("/lexicon/").status_code == 403
    row = LexiconTerm.objects.first()
    client.post(f"/lexicon/{row.pk}/active/", {"active": "0"})
    row.refresh_from_db()
    assert row.active
    assert signed_in(client, world.admin).get("/lexicon/").status_code == 200
    assert client.post("/lexicon/999999/active/", {"active": "0"}).status_code == 404
    assert 'href="/lexicon/"' in signed_in(client, world.quality).get("/lexicon/").content.decode()
