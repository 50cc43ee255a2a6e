"""``pimh import``: a caseload moving from another system, from CSV files (docs/import.md).

Every row is checked first (``rows.check``); the problems are written as a CSV report (file, line,
column, reason). Nothing is imported unless every row is valid, or with ``valid_only`` the valid rows
are imported and the rest reported (hazard H-081). Re-running the same files imports nothing twice:
every record's source id is kept (``ImportKey``). Rows are inserted in batches in one transaction with
one audit event carrying the counts.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from django.db import connection, models, transaction
from django.utils import timezone

from pimh.contacts import services as contact_services
from pimh.contacts.models import Attendance, Contact, ContactType, Location, Mode
from pimh.core import audit
from pimh.core.models import AuditAction, Team, User
from pimh.core.values import NhsNumber
from pimh.families.models import (
    EthnicCategory,
    Family,
    Person,
    PersonRole,
    Safeguarding,
    ServiceLevel,
    ServiceLevelChange,
    Sex,
)
from pimh.families.services import _new_reference
from pimh.interop import rows
from pimh.interop.models import ImportedKind, ImportKey

BATCH_SIZE = 5000
REPORT_COLUMNS = ("file", "line", "column", "reason")


class ImportRefused(Exception):
    """A file cannot be read at all (missing, not CSV, unknown header): one line, safe to show."""


@dataclass
class Outcome:
    rows: int
    imported: dict[str, int] = field(default_factory=dict)
    repeats: dict[str, int] = field(default_factory=dict)
    problems: list[rows.Problem] = field(default_factory=list)

    @property
    def total_imported(self) -> int:
        return sum(self.imported.values())


Progress = Callable[[int, int], None]


def read_files(paths: Iterable[Path]) -> list[tuple[str, str, list[tuple[int, dict[str, str]]]]]:
    found = []
    kinds: dict[str, str] = {}
    for path in paths:
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                reader = csv.DictReader(handle)
                kind = rows.kind_of(reader.fieldnames or [])
                if kind is None:
                    expected = "; ".join(f"{k}: {', '.join(c)}" for k, c in rows.COLUMNS.items())
                    raise ImportRefused(f"{path.name}: the header matches no import format (expected {expected})")
                if kind in kinds:
                    raise ImportRefused(f"{path.name}: a second {kind} file ({kinds[kind]} is one): join them")
                kinds[kind] = path.name
                data = []
                for row in reader:
                    if None in row:
                        raise ImportRefused(f"{path.name} line {reader.line_num}: more values than columns")
                    data.append((reader.line_num, row))
        except FileNotFoundError:
            raise ImportRefused(f"{path}: no such file") from None
        except UnicodeDecodeError:
            raise ImportRefused(f"{path.name}: not UTF-8 text") from None
        except csv.Error as error:
            raise ImportRefused(f"{path.name}: not a readable CSV file ({error})") from None
        found.append((path.name, kind, data))
    return found


def _keys(kind: str) -> dict[str, int]:
    return dict(ImportKey.objects.filter(kind=kind).values_list("source_id", "object_id"))


def context(*, today: object = None) -> rows.Context:
    """What the database holds now: codes, teams, staff and what earlier imports brought in."""
    person_keys = _keys(ImportedKind.PERSON)
    by_pk = {pk: source for source, pk in person_keys.items()}
    family_source = {pk: source for source, pk in _keys(ImportedKind.FAMILY).items()}
    people: dict[str, tuple[str, str]] = {}
    nhs_numbers: dict[str, str] = {}
    for pk, family_id, nhs in Person.objects.exclude(nhs_number=None).values_list("id", "family_id", "nhs_number"):
        nhs_numbers[nhs] = by_pk.get(pk, "")
        if pk in by_pk:
            people[by_pk[pk]] = (family_source.get(family_id, ""), nhs)
    return rows.Context(
        today=timezone.localdate(),
        choices={
            "service_level": frozenset(ServiceLevel.values),
            "safeguarding": frozenset(Safeguarding.values),
            "role": frozenset(PersonRole.values),
            "sex": frozenset(Sex.values),
            "ethnic_category": frozenset(EthnicCategory.values),
            "contact_type": frozenset(ContactType.values),
            "mode": frozenset(Mode.values),
            "location": frozenset(Location.values),
            "attendance": frozenset(Attendance.values),
        },
        teams=frozenset(Team.objects.values_list("name", flat=True)),
        practitioners=frozenset(User.objects.filter(is_active=True).values_list("username", flat=True)),
        families=set(family_source.values()),
        people=people,
        nhs_numbers=nhs_numbers,
        contacts=set(_keys(ImportedKind.CONTACT)),
    )


def write_report(problems: list[rows.Problem], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(REPORT_COLUMNS)
        writer.writerows((p.file, p.line, p.column, p.reason) for p in problems)


def run(
    paths: Iterable[Path],
    *,
    by: User | None,
    valid_only: bool = False,
    report: Path | None = None,
    progress: Progress | None = None,
) -> Outcome:
    """Check every row, report the problems, and import all (or with ``valid_only`` the valid) rows."""
    files = read_files(paths)
    checked = rows.check(files, context())
    outcome = Outcome(rows=checked.rows, repeats=checked.repeats, problems=checked.problems)
    if report is not None:
        write_report(checked.problems, report)
    if checked.problems and not valid_only:
        outcome.imported = dict.fromkeys(rows.ORDER, 0)
        return outcome
    outcome.imported = _insert(checked, by=by, progress=progress or (lambda done, total: None))
    return outcome


def _references(count: int) -> list[str]:
    """``count`` new family references, unique among themselves and against the database."""
    chosen: set[str] = set()
    while len(chosen) < count:
        wanted = {_new_reference() for _ in range(count - len(chosen))} - chosen
        for chunk in _batches(sorted(wanted)):
            wanted -= set(Family.objects.filter(reference__in=chunk).values_list("reference", flat=True))
        chosen |= wanted
    return sorted(chosen)


def _bulk_insert(model: type[models.Model], objects: list[models.Model]) -> list[models.Model]:
    """Insert ``objects`` and set their ids: PostgreSQL ``COPY`` (ids drawn from the sequence in one
    query), elsewhere ``bulk_create``. Constraints are enforced by the database either way."""
    if not objects:
        return objects
    if connection.vendor != "postgresql":
        return model.objects.bulk_create(objects)  # type: ignore[attr-defined,no-any-return]
    table = model._meta.db_table
    fields = list(model._meta.concrete_fields)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, len(objects)]
        )
        for obj, (pk,) in zip(objects, cursor.fetchall(), strict=True):
            obj.pk = pk
        columns = ", ".join(quote(f.column) for f in fields)
        with cursor.cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy:
            for obj in objects:
                copy.write_row([f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields])
    return objects


def _batches(items: list[object], size: int = BATCH_SIZE) -> Iterable[list[object]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@transaction.atomic
def _insert(checked: rows.Checked, *, by: User | None, progress: Progress) -> dict[str, int]:
    now = timezone.now()
    today = timezone.localdate()
    total = sum(len(v) for v in checked.new.values())
    done = 0
    teams = dict(Team.objects.values_list("name", "id"))
    staff = dict(User.objects.values_list("username", "id"))

    def save(model: type, objects: list, kind: str, sources: list[str]) -> dict[str, int]:
        nonlocal done
        ids: dict[str, int] = {}
        for chunk_objects, chunk_sources in zip(_batches(objects), _batches(sources), strict=True):
            created = _bulk_insert(model, chunk_objects)
            _bulk_insert(
                ImportKey,
                [
                    ImportKey(kind=kind, source_id=s, object_id=o.pk, imported_at=now)
                    for s, o in zip(chunk_sources, created, strict=True)
                ],
            )
            ids.update((s, o.pk) for s, o in zip(chunk_sources, created, strict=True))
            done += len(chunk_objects)
            progress(done, total)
        return ids

    new_families = checked.new["families"]
    families = save(
        Family,
        [
            Family(
                reference=reference,
                team_id=teams[r["team"]],
                service_level=r["service_level"],
                safeguarding=r["safeguarding"] or Safeguarding.NONE,
                local_authority_code=r["local_authority_code"],
                lsoa_code=r["lsoa_code"],
                imd_decile=int(r["imd_decile"]) if r["imd_decile"] else None,
                language=r["language"] or "English",
                interpreter_needed=rows.BOOLEAN[r["interpreter_needed"].lower()],
                created_at=now,
            )
            for r, reference in zip(new_families, _references(len(new_families)), strict=True)
        ],
        ImportedKind.FAMILY,
        [r["source_id"] for r in new_families],
    )
    levels = [
        ServiceLevelChange(
            family_id=families[r["source_id"]],
            level=r["service_level"],
            effective_from=today,
            reason="Imported",
            recorded_by=by,
            recorded_at=now,
        )
        for r in new_families
    ]
    for chunk in _batches(levels):
        _bulk_insert(ServiceLevelChange, chunk)
    families.update(_keys(ImportedKind.FAMILY))
    new_people = checked.new["people"]
    people = save(
        Person,
        [
            Person(
                family_id=families[r["family_source_id"]],
                role=r["role"],
                nhs_number=NhsNumber.parse(r["nhs_number"]).value,
                given_name=r["given_name"],
                family_name=r["family_name"],
                date_of_birth=r["date_of_birth"] or None,
                sex=r["sex"] or Sex.NOT_KNOWN,
                ethnic_category=r["ethnic_category"] or EthnicCategory.UNKNOWN,
            )
            for r in new_people
        ],
        ImportedKind.PERSON,
        [r["source_id"] for r in new_people],
    )
    if checked.new["contacts"]:
        people.update(_keys(ImportedKind.PERSON))
    new_contacts = checked.new["contacts"]
    save(
        Contact,
        [
            Contact(
                family_id=families[r["family_source_id"]],
                subject_id=people[r["subject_source_id"]] if r["subject_source_id"] else None,
                contact_type=r["contact_type"],
                csds_activity_code=contact_services._CSDS.get(r["contact_type"], ""),
                date=r["date"],
                time=r["time"] or None,
                practitioner_id=staff[r["practitioner"]],
                mode=r["mode"] or Mode.FACE_TO_FACE,
                location=r["location"] or Location.HOME,
                attendance=r["attendance"],
                recorded_at=now,
            )
            for r in new_contacts
        ],
        ImportedKind.CONTACT,
        [r["source_id"] for r in new_contacts],
    )
    counts = {kind: len(checked.new[kind]) for kind in rows.ORDER}
    audit.record(
        by=by,
        action=AuditAction.CREATE,
        object_type="interop.import",
        detail={
            "imported": counts,
            "repeats_skipped": checked.repeats,
            "rows": checked.rows,
            "problems": len(checked.problems),
        },
    )
    return counts


def progress_bar(stream: TextIO | None = None, width: int = 30) -> Progress:
    """A one-line progress bar on ``stream`` (standard error by default), redrawn in place."""

    def show(done: int, total: int) -> None:
        out = stream or sys.stderr
        filled = width * done // max(total, 1)
        out.write(f"\rImporting [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} rows")
        if done >= total:
            out.write("\n")
        out.flush()

    return show
