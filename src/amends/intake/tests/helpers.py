from amends.intake import services


def complaint_input(customer, **overrides) -> services.ComplaintInput:
    values = dict(
        channel="hotline",
        description="按盖章的换件清单交了残件，理赔系统却要求另交一个清单上没写的零件，扣了300元残值。",
        request="全额赔付，不扣这300元。",
        customer_id=customer.pk if customer is not None else None,
        claim_no="CL2026110200001",
        touchpoint="auto_claim.salvage",
        request_confirmed=True,
    )
    values.update(overrides)
    return services.ComplaintInput(**values)


def receive(actor, customer, key=None, **overrides):
    complaint, _created = services.complaint_receive(
        actor=actor, data=complaint_input(customer, **overrides), idempotency_key=key
    )
    return complaint
