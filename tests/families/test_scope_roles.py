"""Scope without a database: who has no teams at all."""

from __future__ import annotations

import pytest

from pimh.core.models import Role
from pimh.families.scope import Scope
from tests.factories import FamilyFactory, TeamFactory, UserFactory


@pytest.mark.parametrize("role", [Role.ANALYST, Role.ADMINISTRATOR, ""])
def test_a_non_clinical_user_has_no_teams_and_every_family_is_outside_them(role):
    scope = Scope(UserFactory.build(role=role))
    family = FamilyFactory.build(team=TeamFactory.build(pk=7))
    assert scope.team_ids == []
    assert scope.break_glass_family_ids == []
    assert scope.is_break_glass(family) is True
