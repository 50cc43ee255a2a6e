"""CSDS v1.6 tables, columns and code mappings, and the referential-integrity check (pure: no Django).

Data-standards section 3. The provider submits CSDS in a fixed Access database; we write one CSV per
IDB table with the IDB's column names, which the provider's data team loads ([design]).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

DATA_SET_VERSION = "1.6"
SERVICE_TEAM_TYPE_HEALTH_VISITING = "16"

TABLES: dict[str, tuple[str, ...]] = {
    "CYP000Header": (
        "DataSetVersion",
        "OrgID_Provider",
        "OrgID_Submitter",
        "RP_StartDate",
        "RP_EndDate",
        "DateTimeCreated",
        "PrimSystemInUse",
    ),
    "CYP001MPI": (
        "LocalPatientID",
        "OrgID_LocalPatientId",
        "OrgID_Residence",
        "NHSNumber",
        "NHSNumberStatus",
        "PersonBirthDate",
        "Postcode",
        "GenderStated",
        "EthnicCategory",
        "LanguageCodePreferred",
        "HVFirstAntenatalVisitDate",
        "LACIndicator",
        "SafeguardingVulnFactorsIndicator",
        "PersonDeathDate",
        "NHSNumberMother",
        "NHSNumberStatusMother",
    ),
    "CYP002GP": ("LocalPatientID", "OrgID_GP", "StartDateGMPReg", "EndDateGMPReg"),
    "CYP101Referral": (
        "ServiceRequestID",
        "LocalPatientID",
        "OrgID_Commissioner",
        "ReferralRequestReceivedDate",
        "SourceOfReferral",
        "PriorityType",
        "PrimaryReasonReferral",
        "ServiceDischargeDate",
    ),
    "CYP102ServiceTypeReferredTo": (
        "ServiceRequestID",
        "TeamID_Local",
        "ServTeamTypeRefToCommunity",
        "ReferralClosureDate",
        "ReferralClosureReason",
        "ReferralRejectionDate",
        "ReferralRejectionReason",
    ),
    "CYP105OnwardReferral": ("ServiceRequestID", "OnwardReferralDate", "OnwardReferralReason", "OrgID_Receiving"),
    "CYP201CareContact": (
        "CareContactID",
        "ServiceRequestID",
        "TeamID_Local",
        "Contact_Date",
        "Contact_Time",
        "ClinContactDuration",
        "ConsType",
        "CareContactSubject",
        "ConsMechanismCommunity",
        "ActLocTypeCode",
        "AttendanceStatus",
        "CancellationDate",
        "CancellationReason",
    ),
    "CYP202CareActivity": (
        "CareActivityID",
        "CareContactID",
        "CommunityCareActivityType",
        "CareProfLocalID",
        "ActivityDuration",
        "CodedProcedure",
        "CodedFinding",
        "CodedObservation",
        "ObservationValue",
        "UCUMUnit",
    ),
    "CYP610BreastfeedingStatus": ("CareActivityID", "BreastFeedingStatus"),
    "CYP612CodedAssessmentContact": ("CareActivityID", "SNOMED_ID", "Score"),
    "CYP901StaffDetails": (
        "CareProfLocalID",
        "ProfRegBodyCode",
        "ProfRegEntryID",
        "StaffGroup",
        "OccupationCode",
        "JobRoleCode",
    ),
}

# (child table, column) -> (parent table, primary-key column): checked before anything is written.
REFERENCES: tuple[tuple[str, str, str, str], ...] = (
    ("CYP002GP", "LocalPatientID", "CYP001MPI", "LocalPatientID"),
    ("CYP101Referral", "LocalPatientID", "CYP001MPI", "LocalPatientID"),
    ("CYP102ServiceTypeReferredTo", "ServiceRequestID", "CYP101Referral", "ServiceRequestID"),
    ("CYP105OnwardReferral", "ServiceRequestID", "CYP101Referral", "ServiceRequestID"),
    ("CYP201CareContact", "ServiceRequestID", "CYP101Referral", "ServiceRequestID"),
    ("CYP202CareActivity", "CareContactID", "CYP201CareContact", "CareContactID"),
    ("CYP202CareActivity", "CareProfLocalID", "CYP901StaffDetails", "CareProfLocalID"),
    ("CYP610BreastfeedingStatus", "CareActivityID", "CYP202CareActivity", "CareActivityID"),
    ("CYP612CodedAssessmentContact", "CareActivityID", "CYP202CareActivity", "CareActivityID"),
)
PRIMARY_KEYS = {
    "CYP001MPI": "LocalPatientID",
    "CYP101Referral": "ServiceRequestID",
    "CYP201CareContact": "CareContactID",
    "CYP202CareActivity": "CareActivityID",
    "CYP901StaffDetails": "CareProfLocalID",
}

# ---- codes ---------------------------------------------------------------------------------------

CONS_MECHANISM = {"face_to_face": "01", "telephone": "02", "video": "11"}
ATTENDANCE_STATUS = {
    "cancelled_family": "2",
    "dna": "3",
    "cancelled_service": "4",
    "attended": "5",
    # No access (nobody answered the door): the family did not attend.
    "no_access": "3",
}
ACT_LOC_TYPE = {"home": "A01", "clinic": "B01", "other": "X01"}
# Mandated reviews; the antenatal contact has no activity code (it is HVFirstAntenatalVisitDate).
MANDATED_ACTIVITY = {
    "new_birth_visit": "08",
    "six_to_eight_week": "09",
    "twelve_month": "10",
    "two_to_two_and_half_year": "11",
}
MANDATED_ACTIVITY_CODES = frozenset(MANDATED_ACTIVITY.values())
OTHER_ACTIVITY = {
    "antenatal": "05",  # patient-specific health promotion [design]
    "listening_visit": "04",
    "specialist": "03",
    "three_to_four_month": "02",
}
DEFAULT_ACTIVITY = "97"
# Onward referrals to perinatal and parent-infant services (data-standards section 3).
ONWARD_SERVICE_KINDS = frozenset(
    {"perinatal_mh_team", "mother_baby_unit", "parent_infant_team", "talking_therapies", "camhs", "specialist_hv"}
)
GENDER = {"F": "2", "M": "1", "I": "9", "U": "X"}
NHS_NUMBER_STATUS_VERIFIED = "01"
NHS_NUMBER_STATUS_MISSING = "07"  # number not present and trace not required


def activity_type(*, contact_type: str, recorded_code: str) -> str:
    """The CommunityCareActivityType of a contact: 08-11 for the four postnatal mandated reviews."""
    if contact_type in MANDATED_ACTIVITY:
        return MANDATED_ACTIVITY[contact_type]
    return recorded_code or OTHER_ACTIVITY.get(contact_type, DEFAULT_ACTIVITY)


# ---- the reporting period ------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        return f"{self.start:%Y-%m}"

    def contains(self, day: dt.date | None) -> bool:
        return day is not None and self.start <= day <= self.end


def month(text: str) -> Period:
    """The reporting period for ``YYYY-MM``; ValueError with a clear message otherwise."""
    found = re.fullmatch(r"(\d{4})-(\d{2})", text)
    if not found or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 2000:
        raise ValueError(f"expected a month written YYYY-MM (for example 2026-10), not {text!r}")
    year, number = int(found.group(1)), int(found.group(2))
    return Period(dt.date(year, number, 1), dt.date(year, number, calendar.monthrange(year, number)[1]))


# ---- referential integrity -----------------------------------------------------------------------

Row = Mapping[str, str]


def integrity_problems(tables: Mapping[str, Sequence[Row]], *, limit: int = 10) -> list[str]:
    """Every broken reference and duplicate key, as readable sentences (empty when all is well)."""
    problems: list[str] = []
    for table, key in PRIMARY_KEYS.items():
        seen: set[str] = set()
        for row in tables.get(table, ()):
            if row[key] in seen:
                problems.append(f"{table}: {key} {row[key]} appears more than once")
            seen.add(row[key])
    for child, column, parent, key in REFERENCES:
        known = {row[key] for row in tables.get(parent, ())}
        missing = sorted({row[column] for row in tables.get(child, ()) if row[column] not in known})
        for value in missing[:limit]:
            problems.append(f"{child}.{column} {value} has no row in {parent}.{key}")
        if len(missing) > limit:
            problems.append(f"{child}.{column}: {len(missing) - limit} more values with no row in {parent}")
    for table, columns in TABLES.items():
        for row in tables.get(table, ())[:1]:
            if tuple(row) != columns:
                problems.append(f"{table}: columns {list(row)} differ from the CSDS v1.6 columns")
    return problems


def row_counts(tables: Mapping[str, Iterable[Row]]) -> dict[str, int]:
    return {table: sum(1 for _ in tables.get(table, ())) for table in TABLES}
