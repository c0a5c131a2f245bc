"""Test-wide setup: test mode before Django loads, the shared world, and a clock pinned per test."""

import os

os.environ.setdefault("AMENDS_MODE", "test")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amends.settings")

import pytest


@pytest.fixture
def world(db):
    from amends.assembly.testing import make_world

    return make_world()


@pytest.fixture
def now():
    """Pins the service clock to 2026-11-02 10:00 Beijing time for the test."""
    from amends.assembly.testing import at
    from amends.core import clock

    moment = at("2026-11-02 10:00")
    with clock.frozen(moment):
        yield moment


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A page read in English leaves English active in the test's thread (LocaleMiddleware activates, nothing
    deactivates): without this, text a later test's services write (alert titles…) depends on test order."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
