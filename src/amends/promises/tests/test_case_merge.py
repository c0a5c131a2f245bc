"""When two cases of a customer are merged, what hangs on the merged one follows its complaints: discretion
requests, promises and early-warning alerts move to the case it was merged into, each move audited."""

from datetime import timedelta

from amends.assembly.testing import receive
from amends.audit.models import AuditEntry
from amends.core import clock
from amends.discretion.models import DiscretionRequest
from amends.discretion.tests.helpers import ask, set_policies
from amends.intake.services import case_merge
from amends.promises.models import Promise
from amends.promises.services import promise_make
from amends.recovery.models import Case
from amends.warning import services as warning
from amends.warning.models import Alert


def test_a_merged_case_hands_over_its_requests_promises_and_alerts(world, now):
    set_policies(world)
    a = receive(world.frontline, world.online, claim_no="CL-A")
    b = receive(world.frontline, world.online, claim_no="CL-B")
    other = Case.objects.get(pk=b.case_id)
    request = ask(world, other, "300")
    promise = promise_make(
        actor=world.handler,
        customer_id=world.online.pk,
        text="三个工作日内回电说明残值扣款",
        due_at=clock.now() + timedelta(days=3),
        channel="hotline",
        case_id=other.pk,
    )
    alert, _ = warning.alert_raise(
        rule="repeat_contact",
        subject_type="claim",
        subject_id="CL-B",
        title="同一赔案反复来电",
        org_unit_id=other.org_unit_id,
        case_id=other.pk,
    )
    into = Case.objects.get(pk=a.case_id)
    case_merge(actor=world.handler, case_id=into.pk, other_id=other.pk, version=into.version)
    assert DiscretionRequest.objects.get(pk=request.pk).case_id == into.pk
    assert Promise.objects.get(pk=promise.pk).case_id == into.pk
    assert Alert.objects.get(pk=alert.pk).case_id == into.pk
    moved = set(
        AuditEntry.objects.filter(action__endswith=".merge", before={"case": other.pk}).values_list("action", flat=True)
    )
    assert {"discretion_request.merge", "promise.merge", "alert.merge", "complaint.merge"} <= moved
