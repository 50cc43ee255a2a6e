"""factory-boy factories, one per model (tests/test_factories.py checks none is missing).

``build()`` gives an unsaved object for tests that need no database; ``create()`` stores one row
with valid, made-up values. Records whose creation has side effects the tests depend on (a family
with its scheduled tasks, a scored screen with its suggestions, a sent referral with its chase task)
are made through the services (tests/conftest.py ``make_family``): a factory writes the row alone.
"""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from pimh.contacts.models import Contact, Task, TaskEvent
from pimh.core.models import (
    ApiToken,
    AuditEvent,
    BreakGlassAccess,
    FormSubmission,
    Organisation,
    Role,
    SecondFactorEnrolment,
    Team,
    User,
)
from pimh.diary.models import Booking
from pimh.families.models import Family, LifeEvent, Person, Pregnancy, Relationship, ServiceLevelChange
from pimh.interop.models import ImportKey
from pimh.referrals.models import (
    RecordMessage,
    Referral,
    ReferralEvent,
    Service,
    SpecialistInvolvement,
    SupervisionSession,
    TrainingRecord,
)
from pimh.screening.models import RelationshipObservation, Screen, Suggestion, UrgentFlag

TODAY = dt.date(2026, 3, 10)  # fixed: factories never depend on the date the tests run


def _later(days: int) -> factory.LazyFunction:
    return factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=days))


# ---- core ------------------------------------------------------------------------------------


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


class AuditEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditEvent

    user = factory.SubFactory(UserFactory)
    action = "read"
    object_type = "families.Family"
    object_id = "1"


class FormSubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FormSubmission

    token = factory.Sequence(lambda n: f"token-{n:08d}")
    user = factory.SubFactory(UserFactory)
    result_url = "/caseload/"


class SecondFactorEnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SecondFactorEnrolment

    user = factory.SubFactory(UserFactory)
    token_digest = factory.Sequence(lambda n: f"{n:064x}")
    expires_at = _later(7)


class ApiTokenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApiToken

    user = factory.SubFactory(UserFactory)
    name = "Test client"
    prefix = factory.Sequence(lambda n: f"p{n:07d}")
    digest = factory.Sequence(lambda n: f"{n:064x}")
    expires_at = _later(30)


# ---- families --------------------------------------------------------------------------------


class FamilyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Family

    reference = factory.Sequence(lambda n: f"F{n:06d}")
    team = factory.SubFactory(TeamFactory)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    family = factory.SubFactory(FamilyFactory)
    role = "birthing_parent"
    given_name = "Alex"
    family_name = factory.Sequence(lambda n: f"Testington{n}")
    date_of_birth = dt.date(1996, 12, 9)


class InfantFactory(PersonFactory):
    role = "infant"
    given_name = "Robin"
    date_of_birth = TODAY - dt.timedelta(days=40)


class BreakGlassAccessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BreakGlassAccess

    user = factory.SubFactory(UserFactory)
    family = factory.SubFactory(FamilyFactory)
    reason = "Covering a home visit today"
    expires_at = _later(1)


class ServiceLevelChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceLevelChange

    family = factory.SubFactory(FamilyFactory)
    level = "universal_plus"
    effective_from = TODAY


class RelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Relationship

    adult = factory.SubFactory(PersonFactory)
    child = factory.SubFactory(InfantFactory, family=factory.SelfAttribute("..adult.family"))
    kind = "birth_mother"


class PregnancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pregnancy

    mother = factory.SubFactory(PersonFactory)
    family = factory.SelfAttribute("mother.family")
    edd = TODAY + dt.timedelta(weeks=10)


class LifeEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LifeEvent

    person = factory.SubFactory(InfantFactory)
    family = factory.SelfAttribute("person.family")
    kind = "moved_in"
    on = TODAY


# ---- contacts --------------------------------------------------------------------------------


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    family = factory.SubFactory(FamilyFactory)
    contact_type = "new_birth_visit"
    date = TODAY
    practitioner = factory.SubFactory(UserFactory)


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    family = factory.SubFactory(FamilyFactory)
    kind = "follow_up"
    title = "Follow-up visit"
    due_from = TODAY
    due_by = TODAY + dt.timedelta(days=7)


class TaskEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaskEvent

    task = factory.SubFactory(TaskFactory)
    event = "created"
    to_status = "open"


# ---- screening -------------------------------------------------------------------------------


class ScreenFactory(factory.django.DjangoModelFactory):
    """A PHQ-9 row with all items scored 1 (total 9): written as is, not scored by the pathway."""

    class Meta:
        model = Screen

    person = factory.SubFactory(PersonFactory)
    family = factory.SelfAttribute("person.family")
    instrument = "phq9"
    instrument_version = "1"
    thresholds_version = "test"
    answers = factory.LazyFunction(lambda: [1] * 9)
    item_scores = factory.LazyFunction(lambda: [1] * 9)
    total = 9
    total_at_least = 9
    recorded_by = factory.SubFactory(UserFactory)


class UrgentFlagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UrgentFlag

    person = factory.SubFactory(PersonFactory)
    family = factory.SelfAttribute("person.family")
    reason = "change_in_mental_state"
    raised_by = factory.SubFactory(UserFactory)


class SuggestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Suggestion

    screen = factory.SubFactory(ScreenFactory)
    rule_id = "test-rule"
    rule_version = "1"
    kind = "rescreen"
    text = "Offer a further questionnaire"


class RelationshipObservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RelationshipObservation

    parent = factory.SubFactory(PersonFactory)
    family = factory.SelfAttribute("parent.family")
    infant = factory.SubFactory(InfantFactory, family=factory.SelfAttribute("..parent.family"))
    judgement = "no_concern"
    recorded_by = factory.SubFactory(UserFactory)


# ---- referrals -------------------------------------------------------------------------------


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    name = factory.Sequence(lambda n: f"Perinatal Team {n}")
    kind = "perinatal_mh_team"
    sees = "parent"


class ReferralFactory(factory.django.DjangoModelFactory):
    """A draft referral row (no chase task: send it through the service for that)."""

    class Meta:
        model = Referral

    person = factory.SubFactory(PersonFactory)
    family = factory.SelfAttribute("person.family")
    service = factory.SubFactory(ServiceFactory)
    reason_code = "depression"
    consent = "given"


class ReferralEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReferralEvent

    referral = factory.SubFactory(ReferralFactory)
    event = "create"
    to_status = "draft"


class SpecialistInvolvementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpecialistInvolvement

    family = factory.SubFactory(FamilyFactory)
    specialist = factory.SubFactory(UserFactory, role=Role.SPECIALIST_HV)
    kind = "joint_working"
    started = TODAY


class RecordMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecordMessage

    family = factory.SubFactory(FamilyFactory)
    author = factory.SubFactory(UserFactory)
    author_role = factory.SelfAttribute("author.role")
    text = "Could we talk this family through?"


class SupervisionSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupervisionSession

    supervisee = factory.SubFactory(UserFactory)
    supervisor = factory.SubFactory(UserFactory, role=Role.TEAM_LEAD)
    date = TODAY
    kind = "individual"
    duration_minutes = 60


class TrainingRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingRecord

    practitioner = factory.SubFactory(UserFactory)
    course = "perinatal_mh_champion"
    completed_on = TODAY


# ---- interop ---------------------------------------------------------------------------------


class ImportKeyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportKey

    kind = "family"
    source_id = factory.Sequence(lambda n: f"SRC{n:06d}")
    object_id = factory.Sequence(lambda n: n + 1)
    imported_at = factory.LazyFunction(timezone.now)


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    family = factory.SubFactory(FamilyFactory)
    practitioner = factory.SubFactory(UserFactory)
    created_by = factory.SelfAttribute("practitioner")
    contact_type = "new_birth_visit"
    date = TODAY + dt.timedelta(days=3)
    time = dt.time(10, 0)
