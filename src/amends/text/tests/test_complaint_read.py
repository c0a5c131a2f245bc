"""Reading a complaint at intake: flags stored with evidence, a higher priority, the alert, distress paged."""

from amends.assembly.testing import receive
from amends.audit.models import AuditEntry
from amends.text.models import ComplaintText, LexiconTerm
from amends.warning.models import Alert


def test_a_plain_complaint_is_read_without_flags_or_alert(world, now):
    complaint = receive(world.frontline, world.individual)
    assert ComplaintText.objects.get(complaint=complaint).flags == []
    assert not Alert.objects.exists()
    assert "escalation" not in [f["code"] for f in complaint.case.priority_factors]


def test_an_escalation_flag_raises_priority_and_an_alert_for_the_owner(world, now):
    complaint = receive(world.frontline, world.individual, description="再不赔我就打１２３７８，还要找记者曝光。")
    reading = ComplaintText.objects.get(complaint=complaint)
    assert [(f["code"], f["evidence"]) for f in reading.flags] == [("regulator", "１２３７８"), ("media", "记者")]
    case = complaint.case
    case.refresh_from_db()
    escalation = next(f for f in case.priority_factors if f["code"] == "escalation")
    assert escalation == {"code": "escalation", "points": 20, "value": "media,regulator"}
    assert case.priority_score == sum(f["points"] for f in case.priority_factors if f["code"] != "escalation") + 20
    alert = Alert.objects.get(rule="text.escalation")
    assert (alert.subject_id, alert.owner, alert.severity, alert.case_id) == (str(complaint.pk), case.owner, 2, case.pk)
    assert "１２３７８" in alert.title
    assert AuditEntry.objects.filter(action="case.escalate", object_id=str(case.pk)).exists()


def test_the_escalation_stays_when_a_plain_complaint_joins_the_case(world, now):
    first = receive(world.frontline, world.individual, description="我要去法院起诉你们。")
    second = receive(world.frontline, world.individual, description="补充一下材料。")
    assert second.case_id == first.case_id
    second.case.refresh_from_db()
    assert any(f["code"] == "escalation" and f["value"] == "legal" for f in second.case.priority_factors)


def test_a_negated_threat_raises_nothing(world, now):
    complaint = receive(world.frontline, world.individual, description="我不会去曝光的，只希望尽快赔付。")
    assert ComplaintText.objects.get(complaint=complaint).flags == []
    assert not Alert.objects.exists()


def test_distress_pages_the_nearest_supervisor_as_critical(world, now):
    complaint = receive(world.frontline, world.individual, description="钱一直不赔，我真的不想活了。")
    alert = Alert.objects.get(rule="text.distress")
    assert (alert.owner, alert.severity) == (world.supervisor, 3)
    assert not Alert.objects.filter(rule="text.escalation").exists()
    assert alert.case_id == complaint.case_id


def test_a_term_added_by_quality_takes_effect_on_the_next_complaint(world, now, client):
    client.force_login(world.admin)
    response = client.post(
        "/admin/text/lexiconterm/add/", {"kind": "trigger", "flag": "media", "term": "西瓜视频", "active": "on"}
    )
    assert response.status_code == 302, response.content
    assert AuditEntry.objects.filter(action="admin.add", object_type="text.lexiconterm").exists()
    complaint = receive(world.frontline, world.individual, description="我已经把这事发到西瓜視頻了。")
    assert ComplaintText.objects.get(complaint=complaint).flags[0]["evidence"] == "西瓜視頻"


def test_a_bad_expression_is_refused_in_the_admin(world, client):
    client.force_login(world.admin)
    response = client.post(
        "/admin/text/lexiconterm/add/",
        {"kind": "trigger", "flag": "media", "term": "(unclosed", "is_pattern": "on", "active": "on"},
    )
    assert response.status_code == 200
    assert "term" in response.context["adminform"].form.errors
    assert not LexiconTerm.objects.filter(term="(unclosed").exists()


def test_the_alert_and_the_case_page_name_the_flags_not_their_codes(client, world, now):
    complaint = receive(world.frontline, world.individual, description="这是我第三次投诉了，还要找记者曝光。")
    alert = Alert.objects.get(rule="text.escalation")
    assert "repeat:" not in alert.title and "media:" not in alert.title
    client.force_login(world.supervisor)
    client.cookies["django_language"] = "en"
    page = client.get(f"/cases/{complaint.case_id}/").content.decode()
    assert "Media, Repeat complaint" in page
