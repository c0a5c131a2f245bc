from amends.intake import services


def test_a_complaint_opens_a_case_with_a_15_day_clock(world, now):
    complaint, created = services.complaint_receive(
        actor=world.frontline,
        data=services.ComplaintInput(
            channel="hotline",
            description="定损员没来",
            request="尽快定损",
            customer_id=world.individual.pk,
            touchpoint="auto_claim.assessment",
            policy_no=world.auto_policy.policy_no,
        ),
        idempotency_key="k1",
    )
    assert created
    assert (complaint.due_at - complaint.received_at).days == 15
    assert complaint.case.owner is not None
