"""A family with twins, born from one recorded pregnancy (shared by the contact-safety tests)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pimh.families import services
from pimh.families.models import Family, Person
from tests.conftest import make_family, person_data


def make_twins(*, by, team, days_old: int = 12) -> tuple[Family, Person, Person]:
    """Register a family with a pregnancy, then record the birth of twins Ada (first) and Bo."""
    family = make_family(by=by, team=team, allocated_hv=by, with_infant_days=None)
    mother = family.people.get(role="birthing_parent")
    born = timezone.localdate() - dt.timedelta(days=days_old)
    pregnancy = services.add_pregnancy(by=by, family=family, mother=mother, edd=born + dt.timedelta(days=7))
    ada, bo = services.record_live_birth(
        by=by,
        pregnancy=pregnancy,
        infants=[
            person_data("infant", given_name="Ada", date_of_birth=born),
            person_data("infant", given_name="Bo", date_of_birth=born),
        ],
    )
    return family, ada, bo
