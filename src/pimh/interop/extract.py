"""Build the CSDS v1.6 extract for one month from the database and write it (data-standards section 3).

One CSV per IDB table (UTF-8, ISO dates, IDB column names), ``mapping.csv`` (our model's fields to IDB
names), ``reconciliation.csv`` (mandated contacts in the extract against the database's own counts).
Referential integrity is checked before anything is written: a broken extract is refused whole.
Only records in the reporting period are extracted: contacts dated in the month, the screens made
at them, onward referrals sent in the month, and the people, service requests and staff they need.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from pimh.contacts import asq3
from pimh.contacts.models import Attendance, Contact, ContactType, Mode
from pimh.core import audit
from pimh.core.models import AuditAction, Organisation, User
from pimh.families.models import Person, PersonRole, Safeguarding
from pimh.interop import csds
from pimh.referrals.models import Referral
from pimh.screening import instruments
from pimh.screening.models import Screen

Row = dict[str, str]
PRIMARY_SYSTEM = "PIMH Pathway"

# Our model -> IDB names (written as mapping.csv beside the extract).
MAPPING: tuple[tuple[str, str, str], ...] = (
    ("CYP000Header", "OrgID_Provider", "core.Organisation.ods_code"),
    ("CYP001MPI", "LocalPatientID", "'P' + families.Person.id"),
    ("CYP001MPI", "OrgID_Residence", "families.Family.local_authority_code"),
    ("CYP001MPI", "NHSNumber", "families.Person.nhs_number"),
    ("CYP001MPI", "PersonBirthDate", "families.Person.date_of_birth"),
    ("CYP001MPI", "GenderStated", "families.Person.sex (F 2, M 1, I 9, U X)"),
    ("CYP001MPI", "EthnicCategory", "families.Person.ethnic_category"),
    (
        "CYP001MPI",
        "HVFirstAntenatalVisitDate",
        "first attended antenatal contacts.Contact.date of the child's pregnancy",
    ),
    ("CYP001MPI", "LACIndicator", "families.Person.carer_with_pr set (Y/N)"),
    ("CYP001MPI", "SafeguardingVulnFactorsIndicator", "families.Family.safeguarding not none (Y/N)"),
    ("CYP001MPI", "PersonDeathDate", "families.Person.date_of_death"),
    ("CYP001MPI", "NHSNumberMother", "families.Pregnancy.mother.nhs_number"),
    ("CYP101Referral", "ServiceRequestID", "'HV' + families.Person.id (the person's time on the caseload)"),
    ("CYP101Referral", "ReferralRequestReceivedDate", "families.Person.responsible_from, else Family.created_at"),
    ("CYP101Referral", "ServiceDischargeDate", "families.Person.responsible_until"),
    ("CYP102ServiceTypeReferredTo", "TeamID_Local", "families.Family.team_id"),
    ("CYP102ServiceTypeReferredTo", "ServTeamTypeRefToCommunity", "16 (health visiting)"),
    ("CYP105OnwardReferral", "OnwardReferralDate", "referrals.Referral.sent_on"),
    ("CYP105OnwardReferral", "OnwardReferralReason", "referrals.Referral.reason_code"),
    ("CYP201CareContact", "CareContactID", "'C' + contacts.Contact.id"),
    ("CYP201CareContact", "ServiceRequestID", "'HV' + Contact.subject (else a covered child, else the mother)"),
    ("CYP201CareContact", "Contact_Date", "contacts.Contact.date"),
    ("CYP201CareContact", "Contact_Time", "contacts.Contact.time"),
    ("CYP201CareContact", "ConsMechanismCommunity", "contacts.Contact.mode (face to face 01, telephone 02, video 11)"),
    ("CYP201CareContact", "ActLocTypeCode", "contacts.Contact.location (home A01, clinic B01, other X01)"),
    ("CYP201CareContact", "AttendanceStatus", "contacts.Contact.attendance (2, 3, 4, 5; no access 3)"),
    ("CYP202CareActivity", "CareActivityID", "'A' + Contact.id, or 'S' + screening.Screen.id"),
    (
        "CYP202CareActivity",
        "CommunityCareActivityType",
        "Contact.contact_type (mandated reviews 08-11) or csds_activity_code; a screen 01",
    ),
    ("CYP202CareActivity", "CareProfLocalID", "'U' + Contact.practitioner_id"),
    ("CYP612CodedAssessmentContact", "SNOMED_ID", "the instrument's SNOMED CT code (screening.instruments)"),
    ("CYP612CodedAssessmentContact", "Score", "screening.Screen.total (never item answers)"),
    (
        "CYP612CodedAssessmentContact",
        "SNOMED_ID",
        "ASQ-3: the code of the interval and domain (contacts.asq3.SNOMED) on the review's activity 'A' + Contact.id",
    ),
    ("CYP612CodedAssessmentContact", "Score", "ASQ-3: Contact.asq3_<domain> (scores only, never question text)"),
    ("CYP610BreastfeedingStatus", "CareActivityID", "'A' + Contact.id of the new birth visit or 6-8 week review"),
    ("CYP610BreastfeedingStatus", "BreastFeedingStatus", "contacts.Contact.feeding_status (01, 02, 03)"),
    ("CYP901StaffDetails", "ProfRegEntryID", "core.User.professional_registration"),
    ("CYP901StaffDetails", "ProfRegBodyCode", "08 NMC when a registration is recorded"),
)


class ExtractRefused(Exception):
    """The extract breaks referential integrity (nothing was written); the message lists the problems."""


@dataclass
class Extract:
    period: csds.Period
    tables: dict[str, list[Row]]
    reconciliation: list[Row]
    skipped_contacts: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return csds.row_counts(self.tables)


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _row(table: str, **values: str) -> Row:
    return {column: values.get(column, "") for column in csds.TABLES[table]}


def build(period: csds.Period, *, created: dt.datetime | None = None) -> Extract:
    """Read the month's records and map them to CSDS tables (nothing written)."""
    created = created or timezone.now()
    tables: dict[str, list[Row]] = {name: [] for name in csds.TABLES}
    organisation = Organisation.objects.order_by("id").first()
    ods = organisation.ods_code if organisation else ""
    tables["CYP000Header"].append(
        _row(
            "CYP000Header",
            DataSetVersion=csds.DATA_SET_VERSION,
            OrgID_Provider=ods,
            OrgID_Submitter=ods,
            RP_StartDate=_date(period.start),
            RP_EndDate=_date(period.end),
            DateTimeCreated=created.isoformat(timespec="seconds"),
            PrimSystemInUse=PRIMARY_SYSTEM,
        )
    )
    contacts = list(
        Contact.objects.filter(date__range=(period.start, period.end))
        .select_related("family")
        .prefetch_related("covers")
        .order_by("id")
    )
    mothers = _mothers([c.family_id for c in contacts])
    people: dict[int, None] = {}
    staff: dict[int, None] = {}
    skipped = 0
    for contact in contacts:
        covered = sorted(p.pk for p in contact.covers.all())
        person_id = contact.subject_id or (covered[0] if covered else mothers.get(contact.family_id))
        if person_id is None:
            skipped += 1
            continue
        people[person_id] = None
        staff[contact.practitioner_id] = None
        tables["CYP201CareContact"].append(
            _row(
                "CYP201CareContact",
                CareContactID=f"C{contact.pk}",
                ServiceRequestID=f"HV{person_id}",
                TeamID_Local=str(contact.family.team_id),
                Contact_Date=_date(contact.date),
                Contact_Time=contact.time.isoformat(timespec="minutes") if contact.time else "",
                CareContactSubject="01",
                ConsMechanismCommunity=csds.CONS_MECHANISM[contact.mode],
                ActLocTypeCode=csds.ACT_LOC_TYPE[contact.location],
                AttendanceStatus=csds.ATTENDANCE_STATUS[contact.attendance],
            )
        )
        tables["CYP202CareActivity"].append(
            _row(
                "CYP202CareActivity",
                CareActivityID=f"A{contact.pk}",
                CareContactID=f"C{contact.pk}",
                CommunityCareActivityType=csds.activity_type(
                    contact_type=contact.contact_type, recorded_code=contact.csds_activity_code
                ),
                CareProfLocalID=f"U{contact.practitioner_id}",
            )
        )
        _measures(tables, contact)
    exported = {int(row["CareContactID"][1:]) for row in tables["CYP201CareContact"]}
    _screens(tables, exported)
    _onward_referrals(tables, period, people)
    _people(tables, list(people), period)
    _staff(tables, list(staff))
    notes = [
        "CYP002GP is empty: GP registration is not recorded.",
        "The antenatal contact has no activity code: it is HVFirstAntenatalVisitDate on the child's CYP001 row.",
        "Screens sit on the contact they were made at; whether maternal screens belong on the mother's own "
        "CYP001 row is unverified (HCP-CSDS supplementary guidance).",
    ]
    if skipped:
        notes.append(f"{skipped} contacts had no person to attach to and were not extracted.")
    return Extract(period, tables, _reconcile(period, tables), skipped, notes)


def _measures(tables: dict[str, list[Row]], contact: Contact) -> None:
    """Infant feeding (CYP610) and ASQ-3 domain scores (CYP612, one row per domain) on the review's activity."""
    activity = f"A{contact.pk}"
    if contact.feeding_status:
        tables["CYP610BreastfeedingStatus"].append(
            _row("CYP610BreastfeedingStatus", CareActivityID=activity, BreastFeedingStatus=contact.feeding_status)
        )
    if not contact.asq3_used or contact.asq3_interval_months is None:
        return
    for domain, score in contact.asq3_scores.items():
        code = asq3.SNOMED.get((contact.asq3_interval_months, domain))
        if code:  # no code is published for the 12-month questionnaire
            tables["CYP612CodedAssessmentContact"].append(
                _row("CYP612CodedAssessmentContact", CareActivityID=activity, SNOMED_ID=code, Score=str(score))
            )


def _mothers(family_ids: list[int]) -> dict[int, int]:
    found: dict[int, int] = {}
    for family_id, person_id in (
        Person.objects.filter(family_id__in=set(family_ids), role=PersonRole.BIRTHING_PARENT)
        .order_by("-id")
        .values_list("family_id", "id")
    ):
        found[family_id] = person_id
    return found


def _screens(tables: dict[str, list[Row]], contact_ids: set[int]) -> None:
    """Each complete screen at an extracted contact: a CYP202 activity (01) and a CYP612 total."""
    screens = Screen.objects.filter(contact_id__in=contact_ids, total__isnull=False).select_related("contact")
    for screen in screens.order_by("id").only("id", "instrument", "total", "contact__practitioner_id"):
        code = instruments.get(screen.instrument).snomed_code
        if not code or screen.contact is None:
            continue
        activity = f"S{screen.pk}"
        tables["CYP202CareActivity"].append(
            _row(
                "CYP202CareActivity",
                CareActivityID=activity,
                CareContactID=f"C{screen.contact_id}",
                CommunityCareActivityType="01",
                CareProfLocalID=f"U{screen.contact.practitioner_id}",
                CodedObservation=code,
                ObservationValue=str(screen.total),
            )
        )
        tables["CYP612CodedAssessmentContact"].append(
            _row("CYP612CodedAssessmentContact", CareActivityID=activity, SNOMED_ID=code, Score=str(screen.total))
        )


def _onward_referrals(tables: dict[str, list[Row]], period: csds.Period, people: dict[int, None]) -> None:
    referrals = Referral.objects.filter(
        sent_on__range=(period.start, period.end), service__kind__in=csds.ONWARD_SERVICE_KINDS
    ).order_by("id")
    for referral in referrals.only("id", "person_id", "sent_on", "reason_code"):
        people[referral.person_id] = None
        tables["CYP105OnwardReferral"].append(
            _row(
                "CYP105OnwardReferral",
                ServiceRequestID=f"HV{referral.person_id}",
                OnwardReferralDate=_date(referral.sent_on),
                OnwardReferralReason=referral.reason_code,
            )
        )


def _first_antenatal(pregnancy_ids: set[int]) -> dict[int, dt.date]:
    first: dict[int, dt.date] = {}
    rows = Contact.objects.filter(
        pregnancy_id__in=pregnancy_ids, contact_type=ContactType.ANTENATAL, attendance=Attendance.ATTENDED
    ).values_list("pregnancy_id", "date")
    for pregnancy_id, day in rows:
        if pregnancy_id not in first or day < first[pregnancy_id]:
            first[pregnancy_id] = day
    return first


def _people(tables: dict[str, list[Row]], person_ids: list[int], period: csds.Period) -> None:
    people = list(Person.objects.filter(pk__in=person_ids).select_related("family", "pregnancy__mother").order_by("id"))
    antenatal = _first_antenatal({p.pregnancy_id for p in people if p.pregnancy_id})
    for person in people:
        mother = person.pregnancy.mother if person.pregnancy else None
        tables["CYP001MPI"].append(
            _row(
                "CYP001MPI",
                LocalPatientID=f"P{person.pk}",
                OrgID_LocalPatientId=tables["CYP000Header"][0]["OrgID_Provider"],
                OrgID_Residence=person.family.local_authority_code,
                NHSNumber=person.nhs_number or "",
                NHSNumberStatus=csds.NHS_NUMBER_STATUS_VERIFIED
                if person.nhs_number
                else csds.NHS_NUMBER_STATUS_MISSING,
                PersonBirthDate=_date(person.date_of_birth),
                GenderStated=csds.GENDER[person.sex],
                EthnicCategory=person.ethnic_category,
                HVFirstAntenatalVisitDate=_date(antenatal.get(person.pregnancy_id or 0))
                if person.role == PersonRole.INFANT
                else "",
                LACIndicator="Y" if person.carer_with_pr_id else "N",
                SafeguardingVulnFactorsIndicator="N" if person.family.safeguarding == Safeguarding.NONE else "Y",
                PersonDeathDate=_date(person.date_of_death),
                NHSNumberMother=(mother.nhs_number or "") if mother else "",
                NHSNumberStatusMother=(csds.NHS_NUMBER_STATUS_VERIFIED if mother.nhs_number else "") if mother else "",
            )
        )
        received = person.responsible_from or timezone.localtime(person.family.created_at).date()
        tables["CYP101Referral"].append(
            _row(
                "CYP101Referral",
                ServiceRequestID=f"HV{person.pk}",
                LocalPatientID=f"P{person.pk}",
                OrgID_Commissioner=person.family.local_authority_code,
                ReferralRequestReceivedDate=_date(received),
                ServiceDischargeDate=_date(person.responsible_until),
            )
        )
        tables["CYP102ServiceTypeReferredTo"].append(
            _row(
                "CYP102ServiceTypeReferredTo",
                ServiceRequestID=f"HV{person.pk}",
                TeamID_Local=str(person.family.team_id),
                ServTeamTypeRefToCommunity=csds.SERVICE_TEAM_TYPE_HEALTH_VISITING,
                ReferralClosureDate=_date(person.responsible_until),
            )
        )


def _staff(tables: dict[str, list[Row]], user_ids: list[int]) -> None:
    for user in User.objects.filter(pk__in=user_ids).order_by("id").only("id", "professional_registration"):
        tables["CYP901StaffDetails"].append(
            _row(
                "CYP901StaffDetails",
                CareProfLocalID=f"U{user.pk}",
                ProfRegBodyCode="08" if user.professional_registration else "",
                ProfRegEntryID=user.professional_registration,
            )
        )


# ---- reconciliation --------------------------------------------------------------------------------

RECONCILIATION_SOURCE = (
    "computed directly from contacts (the indicator engine is not on this branch): "
    "contacts of the type dated in the month"
)


def _reconcile(period: csds.Period, tables: dict[str, list[Row]]) -> list[Row]:
    """Per mandated review: the extract's CYP202 rows against the database's contacts of the month."""
    attended_contacts = {
        row["CareContactID"]
        for row in tables["CYP201CareContact"]
        if row["AttendanceStatus"] in {"5", "6"} and row["ConsMechanismCommunity"] == "01"
    }
    in_extract: Counter[str] = Counter()
    counted: Counter[str] = Counter()
    for row in tables["CYP202CareActivity"]:
        in_extract[row["CommunityCareActivityType"]] += 1
        counted[row["CommunityCareActivityType"]] += row["CareContactID"] in attended_contacts
    month = Contact.objects.filter(date__range=(period.start, period.end))
    rows: list[Row] = []
    for contact_type, code in csds.MANDATED_ACTIVITY.items():
        recorded = month.filter(contact_type=contact_type)
        database = recorded.count()
        database_counted = recorded.filter(attendance=Attendance.ATTENDED, mode=Mode.FACE_TO_FACE).count()
        rows.append(
            {
                "contact": contact_type,
                "activity_type": code,
                "database_contacts": str(database),
                "extract_activities": str(in_extract[code]),
                "difference": str(in_extract[code] - database),
                "database_attended_face_to_face": str(database_counted),
                "extract_attended_face_to_face": str(counted[code]),
                "source": RECONCILIATION_SOURCE,
            }
        )
    antenatal = month.filter(contact_type=ContactType.ANTENATAL)
    antenatal_ids = {f"C{pk}" for pk in antenatal.values_list("id", flat=True)}
    rows.append(
        {
            "contact": "antenatal",
            "activity_type": "(HVFirstAntenatalVisitDate)",
            "database_contacts": str(antenatal.count()),
            "extract_activities": str(
                sum(1 for r in tables["CYP202CareActivity"] if r["CareContactID"] in antenatal_ids)
            ),
            "difference": "",
            "database_attended_face_to_face": str(
                antenatal.filter(attendance=Attendance.ATTENDED, mode=Mode.FACE_TO_FACE).count()
            ),
            "extract_attended_face_to_face": "",
            "source": RECONCILIATION_SOURCE,
        }
    )
    return rows


# ---- writing ---------------------------------------------------------------------------------------


def _write_csv(path: Path, columns: tuple[str, ...] | list[str], rows: list[Row]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns))
        writer.writeheader()
        writer.writerows(rows)


def write(
    extract: Extract, out: Path, *, by: User | None = None, check: Callable[..., list[str]] | None = None
) -> None:
    """Check referential integrity, then write every file and record one export audit event.

    ``ExtractRefused`` (nothing written) when a reference is broken.
    """
    problems = (check or csds.integrity_problems)(extract.tables)
    if problems:
        raise ExtractRefused(
            f"the CSDS extract for {extract.period.label} breaks referential integrity, nothing written: "
            + "; ".join(problems[:5])
            + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
        )
    out.mkdir(parents=True, exist_ok=True)
    counts = extract.counts
    header = dict(extract.tables["CYP000Header"][0])
    for table, columns in csds.TABLES.items():
        _write_csv(out / f"{table}.csv", columns, extract.tables[table])
    _write_csv(out / "row_counts.csv", ["table", "rows"], [{"table": t, "rows": str(n)} for t, n in counts.items()])
    _write_csv(
        out / "mapping.csv",
        ["table", "column", "source"],
        [{"table": t, "column": c, "source": s} for t, c, s in MAPPING],
    )
    rows = extract.reconciliation
    _write_csv(out / "reconciliation.csv", list(rows[0]), rows)
    (out / "README.txt").write_text(
        f"CSDS v{header['DataSetVersion']} extract for {extract.period.label} "
        f"({header['RP_StartDate']} to {header['RP_EndDate']}), created {header['DateTimeCreated']}.\n"
        + "".join(f"{note}\n" for note in extract.notes),
        encoding="utf-8",
    )
    with transaction.atomic():
        audit.record(
            by=by,
            action=AuditAction.EXPORT,
            object_type="csds.extract",
            object_id=extract.period.label,
            detail={"rows": counts},
        )
