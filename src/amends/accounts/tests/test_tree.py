"""Up the org tree: the line of units with their distances, and the nearest staff member of a role on it."""

import pytest

from amends.accounts.models import Role, User
from amends.accounts.tree import Ancestry, nearest_staff

pytestmark = pytest.mark.django_db


def test_the_line_runs_from_the_unit_itself_up_to_the_head_office(world):
    up = Ancestry.of(world.nanshan)
    assert up.ids == [world.nanshan.pk, world.shenzhen.pk, world.guangdong.pk, world.head_office.pk]
    assert [up.distance(u) for u in up.ids] == [0, 1, 2, 3]
    assert Ancestry.of(world.nanshan.pk).ids == up.ids


def test_staff_are_those_of_the_role_on_the_line_active_and_not_excluded(world):
    up = Ancestry.of(world.nanshan)
    assert set(up.staff({Role.HANDLER})) == {world.handler, world.handler2}  # not Beijing's: another branch
    assert set(up.staff({Role.HANDLER}, exclude={world.handler.pk})) == {world.handler2}
    User.objects.filter(pk=world.handler2.pk).update(is_active=False)
    assert set(up.staff({Role.HANDLER})) == {world.handler}
    assert set(up.staff({Role.SUPERVISOR, Role.ADMIN})) == {world.supervisor, world.admin}


def test_the_nearest_wins_and_a_tie_goes_to_the_lowest_id(world):
    up = Ancestry.of(world.nanshan)
    assert up.nearest(up.staff({Role.SUPERVISOR, Role.ADMIN})) == world.supervisor
    assert up.nearest(up.staff({Role.HANDLER})) == min(world.handler, world.handler2, key=lambda u: u.pk)
    assert up.nearest([]) is None


def test_nearest_staff_looks_up_the_tree_never_down_or_across(world):
    assert nearest_staff(world.nanshan, Role.SUPERVISOR) == world.supervisor
    assert nearest_staff(world.nanshan, Role.SUPERVISOR, exclude={world.supervisor.pk}) is None
    assert nearest_staff(world.guangdong, Role.HANDLER) is None  # Shenzhen's handlers are below it
    assert nearest_staff(world.beijing, Role.ADMIN) == world.admin
