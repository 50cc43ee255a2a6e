"""Every change to families and people goes through these functions.

Each takes the acting user as ``by=``, runs in one transaction and writes its
audit event in that transaction. Validation raises ``ValidationError`` with
field names, so forms and the API show the same specific messages.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import asdict, dataclass, field, replace

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from pimh.contacts import services as contact_services
from pimh.core import audit, bounds, versioning
from pimh.core.models import AuditAction, BreakGlassAccess, Role, Team, User
from pimh.core.values import InvalidIdentifier, NhsNumber
from pimh.families import contact_details
from pimh.families import contact_services as details_services
from pimh.families.contact_details import ContactDetails
from pimh.families.models import (
    ADULT_ROLES,
    ClosureReason,
    EthnicCategory,
    Family,
    Person,
    PersonRole,
    Pregnancy,
    PregnancyOutcome,
    Relationship,
    RelationshipKind,
    Safeguarding,
    ServiceLevel,
    ServiceLevelChange,
    Sex,
)

MAX_EDD_AHEAD = dt.timedelta(weeks=44)
LSOA_CODE = contact_details.LSOA_CODE  # ONS lower layer super output area, England or Wales


@dataclass(frozen=True)
class PersonData:
    role: str
    given_name: str
    family_name: str
    nhs_number: str = ""
    date_of_birth: dt.date | None = None
    sex: str = Sex.NOT_KNOWN
    ethnic_category: str = EthnicCategory.UNKNOWN


@dataclass(frozen=True)
class FamilyDetails:
    service_level: str = ServiceLevel.UNIVERSAL
    safeguarding: str = Safeguarding.NONE
    lsoa_code: str = ""
    imd_decile: int | None = None
    local_authority_code: str = ""
    language: str = "English"
    interpreter_needed: bool = False
    extra: dict[str, object] = field(default_factory=dict)
    contact: ContactDetails | None = None  # address, phone, GP practice, alerts (LSOA: ``lsoa_code`` above)


def check_person(data: PersonData, *, prefix: str = "", exclude_pk: int | None = None) -> None:
    """Raise ValidationError naming each bad field (prefixed for multi-person forms)."""
    errors: dict[str, str] = {}
    if data.role not in PersonRole.values:
        errors["role"] = "Choose a role from the list"
    if not data.given_name.strip():
        errors["given_name"] = "Enter a given name"
    if not data.family_name.strip():
        errors["family_name"] = "Enter a family name"
    if data.nhs_number:
        try:
            NhsNumber(data.nhs_number)
        except InvalidIdentifier as error:
            errors["nhs_number"] = str(error)
        else:
            clash = Person.objects.filter(nhs_number=data.nhs_number).exclude(pk=exclude_pk)
            if clash.exists():
                errors["nhs_number"] = "A person with this NHS number is already recorded"
    elif data.role in (PersonRole.BIRTHING_PARENT, PersonRole.INFANT):
        errors["nhs_number"] = "Enter the NHS number"
    if data.date_of_birth is None:
        if data.role in (PersonRole.BIRTHING_PARENT, PersonRole.INFANT):
            errors["date_of_birth"] = "Enter the date of birth"
    elif data.date_of_birth > timezone.localdate():
        errors["date_of_birth"] = "Date of birth must be today or in the past"
    else:
        bound = bounds.CHILD_DATE_OF_BIRTH if data.role == PersonRole.INFANT else bounds.DATE_OF_BIRTH
        problem = bound.problem(data.date_of_birth, today=timezone.localdate())
        if problem:
            errors["date_of_birth"] = problem
    if data.sex not in Sex.values:
        errors["sex"] = "Choose a sex from the list"
    if data.ethnic_category not in EthnicCategory.values:
        errors["ethnic_category"] = "Choose an ethnic category from the list"
    if errors:
        raise ValidationError({prefix + name: message for name, message in errors.items()})


def check_edd(edd: dt.date, *, field_name: str = "edd") -> None:
    today = timezone.localdate()
    if edd > today + MAX_EDD_AHEAD:
        raise ValidationError({field_name: "Estimated date of delivery must be within 44 weeks from today"})
    if edd < today - dt.timedelta(weeks=8):
        raise ValidationError(
            {field_name: "Estimated date of delivery is more than 8 weeks ago: record the birth instead"}
        )


def check_family(details: FamilyDetails) -> None:
    errors: dict[str, str] = {}
    if details.service_level not in ServiceLevel.values:
        errors["service_level"] = "Choose a service level"
    if details.safeguarding not in Safeguarding.values:
        errors["safeguarding"] = "Choose a safeguarding status"
    if details.lsoa_code and not LSOA_CODE.fullmatch(details.lsoa_code):
        errors["lsoa_code"] = "Enter the LSOA code as E01 or W01 and 6 numbers, for example E01000001"
    if details.imd_decile is not None and not 1 <= details.imd_decile <= 10:
        errors["imd_decile"] = "IMD decile must be between 1 and 10"
    if errors:
        raise ValidationError(errors)


def _check_date(bound: bounds.DateBound, value: dt.date, field_name: str) -> None:
    problem = bound.problem(value, today=timezone.localdate())
    if problem:
        raise ValidationError({field_name: problem})


def _new_reference() -> str:
    return "F" + secrets.token_hex(4).upper()


def _create_person(family: Family, data: PersonData, *, pregnancy: Pregnancy | None = None) -> Person:
    try:
        with transaction.atomic():
            return Person.objects.create(
                family=family,
                role=data.role,
                nhs_number=data.nhs_number or None,
                given_name=data.given_name.strip(),
                family_name=data.family_name.strip(),
                date_of_birth=data.date_of_birth,
                sex=data.sex,
                ethnic_category=data.ethnic_category,
                pregnancy=pregnancy,
            )
    except IntegrityError:
        # Two people registered with one NHS number at the same moment.
        raise ValidationError({"nhs_number": "A person with this NHS number is already recorded"}) from None


def _audit_person(by: User, person: Person, action: AuditAction) -> None:
    audit.record(by=by, action=action, obj=person, family_id=person.family_id, detail={"role": person.role})


@transaction.atomic
def register_family(
    *,
    by: User,
    team: Team,
    allocated_hv: User | None,
    details: FamilyDetails,
    parent: PersonData,
    second_parent: PersonData | None = None,
    edd: dt.date | None = None,
) -> Family:
    """Register a household with its first parent, optionally a second parent and a pregnancy."""
    errors: dict[str, list[str]] = {}
    for check in (
        lambda: check_family(details),
        lambda: check_person(parent, prefix="parent_"),
        lambda: second_parent and check_person(second_parent, prefix="second_"),
        lambda: edd and check_edd(edd),
    ):
        try:
            check()
        except ValidationError as error:
            errors.update(error.message_dict)
    if second_parent and parent.nhs_number and parent.nhs_number == second_parent.nhs_number:
        errors["second_nhs_number"] = ["The two parents cannot have the same NHS number"]
    if allocated_hv is not None and not allocated_hv.teams.filter(pk=team.pk).exists():
        errors["allocated_hv"] = ["The allocated health visitor must be a member of the team"]
    contact = ContactDetails(lsoa_code=details.lsoa_code)
    try:
        contact = details_services.prepare(replace(details.contact or contact, lsoa_code=details.lsoa_code))
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    family = Family.objects.create(
        **details_services.stored(contact),
        reference=_new_reference(),
        team=team,
        allocated_hv=allocated_hv,
        service_level=details.service_level,
        safeguarding=details.safeguarding,
        imd_decile=details.imd_decile,
        local_authority_code=details.local_authority_code or team.local_authority_code,
        language=details.language,
        interpreter_needed=details.interpreter_needed,
    )
    ServiceLevelChange.objects.create(
        family=family,
        level=details.service_level,
        effective_from=timezone.localdate(),
        reason="Registered",
        recorded_by=by,
    )
    audit.record(by=by, action=AuditAction.CREATE, obj=family, family_id=family.pk)
    first = _create_person(family, parent)
    _audit_person(by, first, AuditAction.CREATE)
    if second_parent:
        _audit_person(by, _create_person(family, second_parent), AuditAction.CREATE)
    if edd:
        add_pregnancy(by=by, family=family, mother=first, edd=edd)
    return family


def _schedule(by: User | None, family: Family) -> None:
    contact_services.schedule_tasks(by=by, families=Family.objects.filter(pk=family.pk))


@transaction.atomic
def add_person(*, by: User, family: Family, data: PersonData, relationships: dict[int, str] | None = None) -> Person:
    """Add a parent, carer or child. ``relationships`` maps an adult's id to a kind (for a child)."""
    check_person(data)
    person = _create_person(family, data)
    _audit_person(by, person, AuditAction.CREATE)
    for adult_id, kind in (relationships or {}).items():
        set_relationship(by=by, adult=family.people.get(pk=adult_id), child=person, kind=kind)
    if person.role == PersonRole.INFANT:
        _schedule(by, family)
    return person


@transaction.atomic
def update_person(*, by: User, person: Person, data: PersonData, seen_version: int | None = None) -> Person:
    """Edit a person. ``seen_version``: the version the form showed; a stale save is refused."""
    current = versioning.check_version(person, seen_version=seen_version)
    check_person(data, exclude_pk=person.pk)
    before = {name: getattr(current, name) for name in asdict(data)}
    changed = [name for name, value in asdict(data).items() if (value or None) != (before[name] or None)]
    for name, value in asdict(data).items():
        setattr(person, name, (value or None) if name == "nhs_number" else value)
    person.version = current.version + 1
    person.save()
    audit.record(by=by, action=AuditAction.UPDATE, obj=person, family_id=person.family_id, detail={"fields": changed})
    if person.is_infant and "date_of_birth" in changed:
        from pimh.families import life_events  # life_events builds on this module

        life_events.date_of_birth_corrected(by=by, person=person, was=before["date_of_birth"])
    return person


@transaction.atomic
def set_relationship(*, by: User, adult: Person, child: Person, kind: str) -> Relationship:
    if kind not in RelationshipKind.values:
        raise ValidationError({"kind": "Choose a relationship from the list"})
    if adult.role not in ADULT_ROLES or child.role != PersonRole.INFANT or adult.family_id != child.family_id:
        raise ValidationError({"kind": "A relationship links an adult to a child in the same family"})
    rel, _ = Relationship.objects.update_or_create(adult=adult, child=child, defaults={"kind": kind})
    audit.record(by=by, action=AuditAction.UPDATE, obj=rel, family_id=adult.family_id, detail={"kind": kind})
    return rel


@transaction.atomic
def add_pregnancy(*, by: User, family: Family, mother: Person, edd: dt.date) -> Pregnancy:
    check_edd(edd)
    if mother.family_id != family.pk or mother.role != PersonRole.BIRTHING_PARENT:
        raise ValidationError({"mother": "Choose the birthing parent in this family"})
    pregnancy = Pregnancy.objects.create(family=family, mother=mother, edd=edd)
    audit.record(by=by, action=AuditAction.CREATE, obj=pregnancy, family_id=family.pk)
    _schedule(by, family)
    return pregnancy


@transaction.atomic
def record_live_birth(*, by: User, pregnancy: Pregnancy, infants: list[PersonData]) -> list[Person]:
    """Close the pregnancy as a live birth and add the baby or babies, linked to their mother."""
    if pregnancy.outcome != PregnancyOutcome.ONGOING:
        raise ValidationError({"outcome": "This pregnancy already has an outcome"})
    if not infants:
        raise ValidationError({"infants": "Add at least one baby"})
    errors: dict[str, list[str]] = {}
    seen: set[str] = set()
    for index, data in enumerate(infants):
        prefix = f"infant{index}_" if len(infants) > 1 else ""
        try:
            check_person(data, prefix=prefix)
        except ValidationError as error:
            errors.update(error.message_dict)
        if data.nhs_number and data.nhs_number in seen:
            errors.setdefault(f"{prefix}nhs_number", []).append("Each baby has their own NHS number")
        seen.add(data.nhs_number)
    if errors:
        raise ValidationError(errors)
    people = []
    for data in infants:
        infant = _create_person(pregnancy.family, data, pregnancy=pregnancy)
        _audit_person(by, infant, AuditAction.CREATE)
        Relationship.objects.create(adult=pregnancy.mother, child=infant, kind=RelationshipKind.BIRTH_MOTHER)
        people.append(infant)
    pregnancy.outcome = PregnancyOutcome.LIVE_BIRTH
    pregnancy.outcome_date = min(p.date_of_birth for p in people if p.date_of_birth)
    pregnancy.save(update_fields=["outcome", "outcome_date"])
    audit.record(
        by=by,
        action=AuditAction.UPDATE,
        obj=pregnancy,
        family_id=pregnancy.family_id,
        detail={"outcome": pregnancy.outcome},
    )
    # Born before the antenatal window opened (28 weeks): that task is not applicable, not expired (H-009).
    contact_services.reschedule_pregnancy(
        by=by,
        pregnancy=pregnancy,
        note="Birth recorded",
        not_applicable="Not applicable: born before 28 weeks of pregnancy",
    )
    # The antenatal window ends at birth; the babies' postnatal contacts are scheduled.
    pregnancy.tasks.filter(kind="antenatal", status__in=["upcoming", "due", "overdue"]).update(
        due_by=pregnancy.outcome_date, expires_on=pregnancy.outcome_date
    )
    contact_services.refresh_statuses(tasks=pregnancy.tasks.all())
    _schedule(by, pregnancy.family)
    return people


@transaction.atomic
def record_pregnancy_loss(*, by: User, pregnancy: Pregnancy, on: dt.date) -> Pregnancy:
    """Record a loss. Every routine prompt for this pregnancy stops."""
    if pregnancy.outcome != PregnancyOutcome.ONGOING:
        raise ValidationError({"outcome": "This pregnancy already has an outcome"})
    if on > timezone.localdate():
        raise ValidationError({"outcome_date": "The date must be today or in the past"})
    _check_date(bounds.PREGNANCY_LOSS, on, "outcome_date")
    pregnancy.outcome = PregnancyOutcome.LOSS
    pregnancy.outcome_date = on
    pregnancy.save(update_fields=["outcome", "outcome_date"])
    contact_services.stop_pregnancy_prompts(by=by, pregnancy=pregnancy, reason="Pregnancy loss")
    audit.record(
        by=by,
        action=AuditAction.UPDATE,
        obj=pregnancy,
        family_id=pregnancy.family_id,
        detail={"outcome": pregnancy.outcome},
    )
    return pregnancy


@transaction.atomic
def change_service_level(
    *, by: User, family: Family, level: str, effective_from: dt.date, reason: str = ""
) -> ServiceLevelChange:
    if level not in ServiceLevel.values:
        raise ValidationError({"level": "Choose a service level"})
    if effective_from > timezone.localdate():
        raise ValidationError({"effective_from": "The date must be today or in the past"})
    _check_date(bounds.SERVICE_LEVEL_FROM, effective_from, "effective_from")
    change = ServiceLevelChange.objects.create(
        family=family, level=level, effective_from=effective_from, reason=reason.strip(), recorded_by=by
    )
    current = family.service_level_history.order_by("-effective_from", "-id").values_list("level", flat=True)[0]
    Family.objects.filter(pk=family.pk).update(service_level=current)
    family.service_level = current
    audit.record(by=by, action=AuditAction.UPDATE, obj=family, family_id=family.pk, detail={"service_level": level})
    return change


@transaction.atomic
def allocate(*, by: User, family: Family, health_visitor: User) -> Family:
    """Make ``health_visitor`` the caseload holder."""
    if health_visitor.role not in (Role.HEALTH_VISITOR, Role.SPECIALIST_HV, Role.TEAM_LEAD) or not (
        health_visitor.teams.filter(pk=family.team_id).exists()
    ):
        raise ValidationError({"allocated_hv": "Choose a health visitor in the family's team"})
    family.allocated_hv = health_visitor
    family.save(update_fields=["allocated_hv"])
    contact_services.reassign_open_tasks(by=by, family=family, to=health_visitor)
    audit.record(
        by=by, action=AuditAction.UPDATE, obj=family, family_id=family.pk, detail={"allocated_hv": health_visitor.pk}
    )
    return family


@transaction.atomic
def close_family(*, by: User, family: Family, reason: str, note: str = "", on: dt.date | None = None) -> Family:
    """Discharge or close a family: off the caseload and worklist, its open tasks cancelled. Audited.

    Refused while an urgent flag is open (clear it first, with the action taken) or when already closed.
    """
    family = Family.objects.select_for_update().get(pk=family.pk)
    today = timezone.localdate()
    on = on or today
    errors: dict[str, str] = {}
    if reason not in ClosureReason.values:
        errors["reason"] = "Choose why the family is leaving the caseload"
    elif reason == ClosureReason.OTHER and not note.strip():
        errors["note"] = "Say why the family is leaving the caseload"
    if len(note.strip()) > 200:
        errors["note"] = "The note must be 200 characters or fewer"
    if on > today:
        errors["on"] = "The date must be today or in the past"
    if errors:
        raise ValidationError(errors)
    if family.closed_on is not None:
        raise ValidationError("This family is already closed")
    if family.urgent_flags.filter(status="open").exists():
        raise ValidationError("Clear the open urgent flag (record the action taken) before closing the family")
    family.closed_on = on
    family.closed_reason = reason
    family.closed_note = note.strip()
    family.closed_by = by
    family.save(update_fields=["closed_on", "closed_reason", "closed_note", "closed_by"])
    label = ClosureReason(reason).label
    cancelled = contact_services.close_family_tasks(by=by, family=family, reason=f"Family closed: {label}")
    audit.record(
        by=by,
        action=AuditAction.UPDATE,
        obj=family,
        family_id=family.pk,
        detail={"closed_reason": reason, "tasks_cancelled": cancelled},
    )
    return family


def open_record(*, by: User, record: models.Model, family_id: int, break_glass: bool = False) -> None:
    """Audit a read of an identifiable record. Views do not call this: ``reads.audited_read`` does."""
    audit.record(
        by=by,
        action=AuditAction.READ,
        obj=record,
        family_id=family_id,
        detail={"break_glass": True} if break_glass else None,
    )


def open_family(*, by: User, family: Family, break_glass: bool = False) -> None:
    """Audit a read of a family record (outside views; views use ``reads.audited_read``)."""
    open_record(by=by, record=family, family_id=family.pk, break_glass=break_glass)


@transaction.atomic
def grant_break_glass(*, by: User, family: Family, reason: str) -> BreakGlassAccess:
    """Time-limited access to a family outside the user's teams. Needs a reason; audited."""
    least = bounds.BREAK_GLASS_REASON_MIN_LETTERS
    if bounds.letters_and_digits(reason) < least:
        raise ValidationError({"reason": f"Give the clinical reason for access (at least {least} letters or numbers)"})
    too_long = bounds.text_problem(reason.strip(), limit=bounds.BREAK_GLASS_REASON_MAX, what="the reason")
    if too_long:
        raise ValidationError({"reason": too_long})
    now = timezone.now()
    access = BreakGlassAccess.objects.create(
        user=by,
        family=family,
        reason=reason.strip(),
        granted_at=now,
        expires_at=now + dt.timedelta(hours=settings.BREAK_GLASS_HOURS),
    )
    audit.record(by=by, action=AuditAction.BREAK_GLASS, obj=family, family_id=family.pk, reason=reason.strip())
    return access
