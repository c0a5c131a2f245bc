"""The search box on every staff page and the results page behind it."""

import pytest
from django.core.cache import cache

from amends.assembly.testing import receive


@pytest.fixture
def en(client):
    cache.clear()
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.parametrize("path", ["/", "/promises/", "/alerts/", "/callbacks/"])
def test_every_staff_page_has_the_search_box(en, world, path):
    en.force_login(world.handler)
    page = en.get(path).content.decode()
    assert 'role="search"' in page and 'action="/search/"' in page


def test_results_link_to_the_case_and_the_customer(en, world):
    case = receive(world.frontline, world.individual).case
    en.force_login(world.handler)
    page = en.get("/search/", {"q": "张伟"}).content.decode()
    assert f'href="/cases/{case.pk}/"' in page
    assert f'href="/customers/{world.individual.pk}/"' in page
    assert case.reference in page


def test_nothing_found_says_so(en, world):
    en.force_login(world.handler)
    assert "Nothing found for “无此人”" in en.get("/search/", {"q": "无此人"}).content.decode()


def test_too_many_searches_read_as_a_message(en, world, settings):
    settings.AMENDS_SEARCH_PER_MINUTE = 1
    en.force_login(world.handler)
    en.get("/search/", {"q": "张"})
    answer = en.get("/search/", {"q": "张"})
    assert answer.status_code == 429
    assert "Too many searches in a minute" in answer.content.decode()


def test_the_help_page_documents_the_shortcuts_and_every_page_loads_them(en, world):
    en.force_login(world.handler)
    page = en.get("/help/").content.decode()
    assert "<kbd>/</kbd>" in page and "<kbd>j</kbd>" in page
    assert "amends/keys.js" in en.get("/").content.decode()
    assert 'href="/help/"' in en.get("/").content.decode()


def test_the_case_page_primary_action_has_an_access_key(en, world, now):
    case = receive(world.frontline, world.individual).case
    en.force_login(world.handler)
    assert 'accesskey="s"' in en.get(f"/cases/{case.pk}/").content.decode()
