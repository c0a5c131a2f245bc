"""Stage duration: reported → assessor arrived within 24 h (the shipped configuration), warned at 75%."""

from datetime import timedelta

from amends.core import clock
from amends.recovery.models import Failure
from amends.warning.models import Alert
from amends.warning.rules.runner import run_scheduled

from .helpers import ev, ingest

KEY = "stage_report_to_arrival"


def sweep(at):
    with clock.frozen(at):
        return run_scheduled(now=at, keys=[KEY])[KEY]


def test_no_arrival_after_18_hours_is_an_imminent_breach_then_a_breach_at_24(world, now):
    ingest(ev("claim.reported", now, claim="CL1", touchpoint="auto_claim.report"))
    assert sweep(now + timedelta(hours=17)) == 0
    assert sweep(now + timedelta(hours=19)) == 1
    alert = Alert.objects.get(rule=KEY)
    assert (alert.subject_id, alert.severity, alert.customer, alert.touchpoint.code) == (
        "CL1",
        2,
        world.individual,
        "auto_claim.assessment",
    )
    assert sweep(now + timedelta(hours=25)) == 0  # the same alert, escalated
    alert.refresh_from_db()
    assert alert.severity == 3 and Alert.objects.filter(rule=KEY).count() == 1


def test_the_shipped_configuration_opens_the_failure_and_case_itself_once_breached(world, now):
    ingest(ev("claim.reported", now, claim="CL1"))
    sweep(now + timedelta(hours=20))
    assert not Failure.objects.exists()  # imminent: nothing has failed yet
    sweep(now + timedelta(hours=25))
    alert = Alert.objects.get(rule=KEY)
    failure = Failure.objects.get()
    assert (failure.source, failure.source_ref, failure.dimension, failure.case_id) == (
        "warning",
        f"alert:{alert.pk}",
        "responsiveness",
        alert.case_id,
    )
    assert failure.case.customer == world.individual


def test_an_arrival_in_time_settles_the_warning_and_raises_nothing(world, now):
    ingest(ev("claim.reported", now, claim="CL1"))
    sweep(now + timedelta(hours=19))
    with clock.frozen(now + timedelta(hours=20)):
        result = ingest(ev("assessor.arrived", now + timedelta(hours=20), claim="CL1"))
    assert result.alerts == 0
    assert Alert.objects.get(rule=KEY).resolution == "completed"
    assert sweep(now + timedelta(hours=30)) == 0


def test_a_late_arrival_reported_on_ingest_is_a_breach(world, now):
    ingest(ev("claim.reported", now, claim="CL2"))
    with clock.frozen(now + timedelta(hours=30)):
        result = ingest(ev("assessor.arrived", now + timedelta(hours=30), claim="CL2"))
    assert result.alerts == 1
    assert Alert.objects.get(rule=KEY).severity == 3


def test_other_claims_and_old_reports_are_not_watched(world, now):
    with clock.frozen(now + timedelta(hours=3)):
        result = ingest(
            ev("claim.reported", now, claim="CL3"),
            ev("assessor.arrived", now + timedelta(hours=2), claim="CL3"),
            ev("claim.reported", now - timedelta(days=40), claim="CL4"),
        )
    assert (result.accepted, result.rejected) == (3, [])
    assert sweep(now + timedelta(hours=30)) == 0
