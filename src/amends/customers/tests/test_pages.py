"""The customer page and the customer search of the complaint form: contacts masked by role, scope as 404."""

import pytest

from amends.assembly.testing import receive


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def test_a_handler_sees_the_full_phone_number(en, world):
    en.force_login(world.handler)
    page = en.get(f"/customers/{world.individual.pk}/").content.decode()
    assert "13800138000" in page
    assert world.auto_policy.policy_no in page


def test_a_quality_manager_sees_the_phone_masked(en, world):
    en.force_login(world.quality)
    page = en.get(f"/customers/{world.individual.pk}/").content.decode()
    assert "13800138000" not in page
    assert "138****8000" in page
    assert "Contact details are masked for your role." in page


def test_a_customer_of_another_branch_is_not_found(en, world):
    en.force_login(world.handler)
    assert en.get(f"/customers/{world.beijing_customer.pk}/").status_code == 404


def test_the_customer_page_lists_open_and_past_cases(en, world, now):
    complaint = receive(world.handler, world.individual)
    en.force_login(world.handler)
    page = en.get(f"/customers/{world.individual.pk}/").content.decode()
    assert complaint.case.reference in page


def test_search_returns_rows_to_pick_from_within_scope(en, world):
    en.force_login(world.handler)
    page = en.get("/customers/search/", {"q": "张"}).content.decode()
    assert 'name="customer"' in page and f'value="{world.individual.pk}"' in page
    assert "王强" not in en.get("/customers/search/", {"q": "王"}).content.decode()  # Beijing's customer
    by_policy = en.get("/customers/search/", {"q": world.auto_policy.policy_no}).content.decode()
    assert "张伟" in by_policy
