"""Shared fixtures: the database (SQLite, or a throwaway PostgreSQL), personas and families.

Set PIMH_TEST_DATABASE=postgresql to run the suite against a real PostgreSQL
cluster that the session starts and removes itself.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
import time_machine
from django.utils import timezone
from hypothesis import settings as hypothesis_settings

USE_POSTGRES = os.environ.get("PIMH_TEST_DATABASE") == "postgresql"

# Property tests check behaviour, not speed (speed is measured in benchmarks/): no per-example
# deadline, which only made them flaky on a loaded machine.
hypothesis_settings.register_profile("pimh", deadline=None)
hypothesis_settings.load_profile("pimh")


def pytest_report_header() -> str:
    return f"database: {'PostgreSQL (throwaway cluster)' if USE_POSTGRES else 'SQLite'}"


# ---- personas ---------------------------------------------------------------

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def organisation(db):
    from pimh.core.models import Organisation

    return Organisation.objects.create(name="Test Community Trust", ods_code="RT1")


@pytest.fixture
def team_a(organisation):
    from pimh.core.models import Team

    return Team.objects.create(organisation=organisation, name="Team A", local_authority_code="E06000001")


@pytest.fixture
def team_b(organisation):
    from pimh.core.models import Team

    return Team.objects.create(organisation=organisation, name="Team B", local_authority_code="E06000002")


def make_user(username: str, role: str, *teams, **extra):
    from pimh.core.models import User

    user = User.objects.create_user(
        username=username, password=PASSWORD, role=role, first_name=username.title(), last_name="Tester", **extra
    )
    user.teams.set(teams)
    return user


@pytest.fixture
def hv(team_a):
    return make_user("hannah", "hv", team_a)


@pytest.fixture
def colleague_b(team_b):
    """A health visitor in another team."""
    return make_user("bella", "hv", team_b)


@pytest.fixture
def specialist(team_a, team_b):
    return make_user("sophie", "sphv", team_a, team_b)


@pytest.fixture
def lead(team_a):
    return make_user("lena", "lead", team_a)


@pytest.fixture
def analyst(db):
    return make_user("andy", "analyst")


@pytest.fixture
def administrator(db):
    return make_user("ada", "admin", is_staff=True, is_superuser=True)


@pytest.fixture
def outsider(db):
    """Signed in, clinical role, but in no team."""
    return make_user("olly", "hv")


# ---- families -----------------------------------------------------------------

_NHS_COUNTER = iter(range(1, 10_000_000))


def next_nhs_number() -> str:
    """The next valid number from the 999 test range."""
    from nhs_number import is_valid

    while True:
        body = f"999{next(_NHS_COUNTER):06d}"
        total = sum(int(d) * (10 - i) for i, d in enumerate(body))
        check = (11 - total % 11) % 11
        if check != 10 and is_valid(body + str(check)):
            return body + str(check)


def person_data(role: str = "birthing_parent", **overrides):
    from pimh.families.services import PersonData

    defaults = {
        "role": role,
        "given_name": {"infant": "Robin", "father": "Sam"}.get(role, "Alex"),
        "family_name": "Testington",
        "nhs_number": next_nhs_number(),
        "date_of_birth": timezone.localdate() - dt.timedelta(days={"infant": 40}.get(role, 30 * 365)),
        "sex": {"birthing_parent": "F", "father": "M"}.get(role, "U"),
    }
    defaults.update(overrides)
    return PersonData(**defaults)


def make_family(*, by, team, allocated_hv=None, with_infant_days: int | None = 40, with_father: bool = True):
    from pimh.families import services

    family = services.register_family(
        by=by,
        team=team,
        allocated_hv=allocated_hv,
        details=services.FamilyDetails(imd_decile=3),
        parent=person_data(),
        second_parent=person_data("father") if with_father else None,
    )
    if with_infant_days is not None:
        dob = timezone.localdate() - dt.timedelta(days=with_infant_days)
        services.add_person(by=by, family=family, data=person_data("infant", date_of_birth=dob))
    return family


@pytest.fixture
def family_a(hv, team_a):
    return make_family(by=hv, team=team_a, allocated_hv=hv)


@pytest.fixture
def family_b(colleague_b, team_b):
    return make_family(by=colleague_b, team=team_b, allocated_hv=colleague_b)


@pytest.fixture
def signed_in(client):
    """Sign a persona in; returns the client."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def login_verified(client, user):
    """Sign in as if the second factor had been passed (TOTP device confirmed and used)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


# A fixed "today" for tests whose dates would otherwise depend on the day they run: read the clock
# through this fixture, never at import time (a module-level ``timezone.localdate()`` goes stale at midnight).
FROZEN_TODAY = dt.date(2026, 3, 10)


@pytest.fixture
def frozen_clock():
    """The clock stands still at 10:00 London time on FROZEN_TODAY (a Tuesday) for the test."""
    with time_machine.travel(dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC), tick=False):
        yield FROZEN_TODAY


@pytest.fixture(autouse=True)
def _empty_cache():
    """Counts kept by core/recent.py never carry from one test into another."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
