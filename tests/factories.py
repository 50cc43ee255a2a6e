"""factory-boy factories: ``build()`` gives an unsaved object for tests that need no database.

Records a service creates with side effects (families with their tasks, screens, referrals) are made
through the services (tests/conftest.py ``make_family``), not through factories.
"""

from __future__ import annotations

import factory

from pimh.core.models import Organisation, Role, Team, User
from pimh.families.models import Family


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Community Trust {n}")
    ods_code = factory.Sequence(lambda n: f"R{n:03d}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Team {n}")
    local_authority_code = "E06000001"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = "Practitioner"
    role = Role.HEALTH_VISITOR


class FamilyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Family

    reference = factory.Sequence(lambda n: f"F{n:06d}")
    team = factory.SubFactory(TeamFactory)
