"""The bulk import's file formats and row validation (pure: no Django).

Three kinds of file (docs/import.md): families, people and contacts, recognised by their header.
Every row is checked with the services' rules: the NHS number's check digit, dates within the input
bounds (core/bounds.py), codes from the model's choices, references to families and people, and
identity: a source id already imported is skipped only when it carries the same NHS number, and an
NHS number already recorded for another person is refused, never merged (hazard H-080).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from pimh.core import bounds
from pimh.core.values import InvalidIdentifier, NhsNumber

COLUMNS: dict[str, tuple[str, ...]] = {
    "families": (
        "source_id",
        "team",
        "local_authority_code",
        "lsoa_code",
        "imd_decile",
        "service_level",
        "safeguarding",
        "language",
        "interpreter_needed",
    ),
    "people": (
        "source_id",
        "family_source_id",
        "role",
        "nhs_number",
        "given_name",
        "family_name",
        "date_of_birth",
        "sex",
        "ethnic_category",
    ),
    "contacts": (
        "source_id",
        "family_source_id",
        "subject_source_id",
        "contact_type",
        "date",
        "time",
        "practitioner",
        "mode",
        "location",
        "attendance",
    ),
}
REQUIRED: dict[str, frozenset[str]] = {
    "families": frozenset({"source_id", "team", "service_level"}),
    "people": frozenset({"source_id", "family_source_id", "role", "nhs_number", "given_name", "family_name"}),
    "contacts": frozenset({"source_id", "family_source_id", "contact_type", "date", "practitioner", "attendance"}),
}
ORDER = ("families", "people", "contacts")
SOURCE_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
AREA_CODE = re.compile(r"^[EWSN]\d{8}$")
TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
NAME_MAX = 100
LANGUAGE_MAX = 60
BOOLEAN = {
    "": False,
    "no": False,
    "n": False,
    "false": False,
    "0": False,
    "yes": True,
    "y": True,
    "true": True,
    "1": True,
}
INFANT = "infant"


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    column: str
    reason: str


@dataclass
class Context:
    """What the rows are checked against: the model's codes and what the database already holds."""

    today: dt.date
    choices: Mapping[str, frozenset[str]]  # column name -> allowed codes
    teams: frozenset[str]
    practitioners: frozenset[str]
    families: set[str] = field(default_factory=set)  # family source ids already imported
    people: dict[str, tuple[str, str]] = field(default_factory=dict)  # person source id -> (family source id, NHS)
    nhs_numbers: dict[str, str] = field(default_factory=dict)  # NHS number -> person source id ('' if not imported)
    contacts: set[str] = field(default_factory=set)  # contact source ids already imported


@dataclass
class Checked:
    """The outcome of checking every file: new rows to import, repeats skipped, problems found."""

    new: dict[str, list[dict[str, str]]] = field(default_factory=lambda: {kind: [] for kind in ORDER})
    repeats: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ORDER, 0))
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0


def kind_of(header: Iterable[str]) -> str | None:
    """The kind of file a header belongs to (columns in any order), or None."""
    found = frozenset(column.strip() for column in header)
    return next((kind for kind, columns in COLUMNS.items() if found == frozenset(columns)), None)


def check(files: Iterable[tuple[str, str, list[tuple[int, dict[str, str]]]]], context: Context) -> Checked:
    """Check ``(file name, kind, [(line, row)])`` in the order families, people, contacts."""
    result = Checked()
    ordered = sorted(files, key=lambda item: ORDER.index(item[1]))
    bad_families: set[str] = set()
    bad_people: set[str] = set()
    seen: dict[str, set[str]] = {kind: set() for kind in ORDER}
    seen_nhs: set[str] = set()
    new_people: dict[str, str] = {}  # source id -> family source id
    for name, kind, rows in ordered:
        for line, raw in rows:
            result.rows += 1
            row = {key: (value or "").strip() for key, value in raw.items()}
            problems = [
                Problem(name, line, column, "required")
                for column in COLUMNS[kind]
                if column in REQUIRED[kind] and not row.get(column)
            ]
            source = row.get("source_id", "")
            if source and not SOURCE_ID.match(source):
                problems.append(Problem(name, line, "source_id", "use 1-64 letters, digits or _ . : -"))
            elif source in seen[kind]:
                problems.append(Problem(name, line, "source_id", f"source id {source} appears twice in the files"))
            seen[kind].add(source)
            repeat = False
            if kind == "families":
                problems += _family(name, line, row, context)
                repeat = source in context.families
            elif kind == "people":
                problems += _person(name, line, row, context, seen_nhs, bad_families, seen["families"])
                repeat = source in context.people and not problems
                new_people.setdefault(source, row.get("family_source_id", ""))
            else:
                problems += _contact(name, line, row, context, bad_families, bad_people, new_people, seen["families"])
                repeat = source in context.contacts
            if problems:
                result.problems += problems
                (bad_families if kind == "families" else bad_people).add(source)
            elif repeat:
                result.repeats[kind] += 1
            else:
                result.new[kind].append(row)
    return result


def _code(name: str, line: int, row: Mapping[str, str], column: str, context: Context) -> list[Problem]:
    value = row.get(column, "")
    allowed = context.choices[column]
    if value and value not in allowed:
        return [Problem(name, line, column, f"{value!r} is not one of {', '.join(sorted(allowed))}")]
    return []


def _date(
    name: str, line: int, row: Mapping[str, str], column: str, bound: bounds.DateBound, today: dt.date
) -> list[Problem]:
    text = row.get(column, "")
    if not text:
        return []
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(text)
        value = dt.date.fromisoformat(text)
    except ValueError:
        return [Problem(name, line, column, "expected a real date written YYYY-MM-DD")]
    problem = bound.problem(value, today=today)
    return [Problem(name, line, column, problem)] if problem else []


def _family(name: str, line: int, row: Mapping[str, str], context: Context) -> list[Problem]:
    problems: list[Problem] = []
    if row.get("team") and row["team"] not in context.teams:
        problems.append(Problem(name, line, "team", "no team of this name"))
    for column in ("service_level", "safeguarding"):
        problems += _code(name, line, row, column, context)
    for column in ("local_authority_code", "lsoa_code"):
        if row.get(column) and not AREA_CODE.match(row[column]):
            problems.append(Problem(name, line, column, "expected an ONS code like E06000001"))
    decile = row.get("imd_decile", "")
    if decile and not (decile.isdigit() and 1 <= int(decile) <= 10):
        problems.append(Problem(name, line, "imd_decile", "expected a whole number from 1 to 10"))
    if len(row.get("language", "")) > LANGUAGE_MAX:
        problems.append(Problem(name, line, "language", f"at most {LANGUAGE_MAX} characters"))
    if row.get("interpreter_needed", "").lower() not in BOOLEAN:
        problems.append(Problem(name, line, "interpreter_needed", "expected yes or no"))
    return problems


def _person(
    name: str,
    line: int,
    row: Mapping[str, str],
    context: Context,
    seen_nhs: set[str],
    bad_families: set[str],
    file_families: set[str],
) -> list[Problem]:
    problems: list[Problem] = []
    source, family = row.get("source_id", ""), row.get("family_source_id", "")
    problems += _family_reference(name, line, family, context, bad_families, file_families)
    for column in ("role", "sex", "ethnic_category"):
        problems += _code(name, line, row, column, context)
    for column in ("given_name", "family_name"):
        if len(row.get(column, "")) > NAME_MAX:
            problems.append(Problem(name, line, column, f"at most {NAME_MAX} characters"))
    bound = bounds.CHILD_DATE_OF_BIRTH if row.get("role") == INFANT else bounds.DATE_OF_BIRTH
    problems += _date(name, line, row, "date_of_birth", bound, context.today)
    if row.get("role") == INFANT and not row.get("date_of_birth"):
        problems.append(Problem(name, line, "date_of_birth", "required for an infant or child"))
    text = row.get("nhs_number", "")
    if not text:
        return problems
    try:
        nhs = NhsNumber.parse(text).value
    except InvalidIdentifier as error:
        return [*problems, Problem(name, line, "nhs_number", str(error))]
    if nhs in seen_nhs:
        problems.append(Problem(name, line, "nhs_number", "this NHS number appears twice in the files"))
    seen_nhs.add(nhs)
    if source in context.people:
        if context.people[source] != (family, nhs):
            problems.append(
                Problem(
                    name, line, "nhs_number", "this source id was imported before with another NHS number or family"
                )
            )
    elif nhs in context.nhs_numbers:
        problems.append(
            Problem(name, line, "nhs_number", "a person with this NHS number is already recorded: not merged")
        )
    return problems


def _family_reference(
    name: str, line: int, family: str, context: Context, bad_families: set[str], file_families: set[str]
) -> list[Problem]:
    if not family:
        return []
    if family in bad_families:
        return [Problem(name, line, "family_source_id", f"family {family} has errors")]
    if family not in context.families and family not in file_families:
        return [Problem(name, line, "family_source_id", f"no family {family} in the files or imported before")]
    return []


def _contact(
    name: str,
    line: int,
    row: Mapping[str, str],
    context: Context,
    bad_families: set[str],
    bad_people: set[str],
    new_people: Mapping[str, str],
    file_families: set[str],
) -> list[Problem]:
    family, subject = row.get("family_source_id", ""), row.get("subject_source_id", "")
    problems = _family_reference(name, line, family, context, bad_families, file_families)
    for column in ("contact_type", "mode", "location", "attendance"):
        problems += _code(name, line, row, column, context)
    problems += _date(name, line, row, "date", bounds.CONTACT_DATE, context.today)
    if row.get("time") and not TIME.match(row["time"]):
        problems.append(Problem(name, line, "time", "expected a time written HH:MM (24-hour clock)"))
    if row.get("practitioner") and row["practitioner"] not in context.practitioners:
        problems.append(Problem(name, line, "practitioner", "no member of staff with this username"))
    if subject:
        if subject in bad_people:
            problems.append(Problem(name, line, "subject_source_id", f"person {subject} has errors"))
        else:
            subject_family = new_people.get(subject) or context.people.get(subject, ("", ""))[0]
            if not subject_family:
                problems.append(
                    Problem(name, line, "subject_source_id", f"no person {subject} in the files or imported before")
                )
            elif subject_family != family:
                problems.append(Problem(name, line, "subject_source_id", f"person {subject} is not in family {family}"))
    return problems
