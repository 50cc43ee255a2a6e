"""Role permissions (django-rules). Object scope is applied where data is fetched."""

from __future__ import annotations

import rules

from pimh.core.models import CLINICAL_ROLES, Role


@rules.predicate
def is_clinical(user: object) -> bool:
    return getattr(user, "role", None) in CLINICAL_ROLES


@rules.predicate
def is_team_lead(user: object) -> bool:
    return getattr(user, "role", None) == Role.TEAM_LEAD


@rules.predicate
def is_analyst(user: object) -> bool:
    return getattr(user, "role", None) == Role.ANALYST


@rules.predicate
def is_administrator(user: object) -> bool:
    return getattr(user, "role", None) == Role.ADMINISTRATOR


# Identifiable records: clinical roles only, and only within scope.
rules.add_perm("families.view_family", is_clinical)
rules.add_perm("families.change_family", is_clinical)
rules.add_perm("core.view_break_glass_log", is_team_lead)
rules.add_perm("core.view_aggregates", is_analyst | is_team_lead)
rules.add_perm("core.administer", is_administrator)
