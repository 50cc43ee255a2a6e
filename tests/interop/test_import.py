"""``pimh import``: every row checked, every problem reported, all or nothing, never twice (H-080, H-081)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from pimh.cli import main
from pimh.contacts.models import Contact
from pimh.core.models import AuditEvent
from pimh.families.models import Family, Person
from pimh.interop import importer
from pimh.interop.models import ImportKey
from tests.conftest import make_family

ENVIRON = {"DJANGO_SETTINGS_MODULE": "tests.settings"}
TEMPLATES = Path(__file__).resolve().parents[2] / "docs" / "import-templates"
FAMILIES = (
    "source_id,team,local_authority_code,lsoa_code,imd_decile,service_level,safeguarding,language,interpreter_needed"
)
PEOPLE = "source_id,family_source_id,role,nhs_number,given_name,family_name,date_of_birth,sex,ethnic_category"
CONTACTS = "source_id,family_source_id,subject_source_id,contact_type,date,time,practitioner,mode,location,attendance"


def nhs(n: int) -> str:
    """A valid NHS number outside the range the shared fixtures use."""
    body = f"943{n:06d}"
    check = (11 - sum(int(d) * (10 - i) for i, d in enumerate(body)) % 11) % 11
    return body + str(check) if check != 10 else nhs(n + 1000)


def write(tmp_path: Path, name: str, header: str, *lines: str) -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def templates() -> list[Path]:
    return [TEMPLATES / "families.csv", TEMPLATES / "people.csv", TEMPLATES / "contacts.csv"]


def report_rows(path: Path) -> list[tuple[str, str, str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [(r["file"], r["line"], r["column"], r["reason"]) for r in csv.DictReader(handle)]


def counts() -> tuple[int, int, int]:
    return Family.objects.count(), Person.objects.count(), Contact.objects.count()


def test_the_templates_import_with_one_audit_event(hv, tmp_path):
    outcome = importer.run(templates(), by=None, report=tmp_path / "report.csv")
    assert outcome.imported == {"families": 2, "people": 3, "contacts": 2}
    assert counts() == (2, 3, 2)
    events = AuditEvent.objects.filter(object_type="interop.import")
    assert [e.detail["imported"] for e in events] == [{"families": 2, "people": 3, "contacts": 2}]
    nbv = Contact.objects.get(contact_type="new_birth_visit")
    assert (nbv.subject.given_name, nbv.csds_activity_code, nbv.practitioner) == ("Sam", "08", hv)


def test_running_the_same_files_again_imports_nothing_twice(hv, tmp_path):
    importer.run(templates(), by=None)
    again = importer.run(templates(), by=None)
    assert (again.total_imported, again.repeats, again.problems) == (
        0,
        {"families": 2, "people": 3, "contacts": 2},
        [],
    )
    assert counts() == (2, 3, 2)


def test_ten_kinds_of_bad_row_are_all_reported_and_nothing_is_imported(hv, team_a, tmp_path):
    existing = make_family(by=hv, team=team_a)
    taken = existing.people.exclude(nhs_number=None).first().nhs_number
    families = write(
        tmp_path,
        "families.csv",
        FAMILIES,
        "F1,Team A,E06000001,,3,universal,none,English,no",
        "F2,Team Nowhere,E06000001,,,universal,none,English,no",  # 1 unknown team
        "F3,Team A,E06000001,,11,universal,none,English,no",  # 2 IMD decile out of range
        "F4,Team A,E06000001,,,universal,none,English,no",
        "F4,Team A,E06000001,,,universal,none,English,no",  # 3 source id twice
    )
    people = write(
        tmp_path,
        "people.csv",
        PEOPLE,
        f"P1,F1,birthing_parent,{nhs(1)},Alex,Example,1994-05-02,F,A",
        f"P2,F1,infant,{nhs(2)[:-1]}{(int(nhs(2)[-1]) + 1) % 10},Sam,Example,2026-09-14,M,A",  # 4 NHS check digit
        f"P3,F1,infant,{nhs(3)},Kit,Example,2099-01-01,M,A",  # 5 date of birth in the future
        f"P4,F1,aunt,{nhs(4)},Jo,Example,1990-01-20,F,A",  # 6 unknown role
        f"P5,F1,father,{taken},Lee,Example,1990-01-20,M,A",  # 7 NHS number already recorded
        f"P6,F9,father,{nhs(6)},Lee,Example,1990-01-20,M,A",  # 8 no such family
        "P7,F1,father,,Lee,Example,1990-02-30,M,A",  # 9 missing NHS number, 10 impossible date
    )
    contacts = write(
        tmp_path,
        "contacts.csv",
        CONTACTS,
        "C1,F1,P1,new_birth_visit,2026-09-24,25:00,nobody,face_to_face,home,attended",  # bad time, unknown staff
    )
    status = main(
        ["import", str(families), str(people), str(contacts), "--report", str(tmp_path / "r.csv"), "--no-progress"],
        ENVIRON,
    )
    assert status == 2
    assert report_rows(tmp_path / "r.csv") == [
        ("families.csv", "3", "team", "no team of this name"),
        ("families.csv", "4", "imd_decile", "expected a whole number from 1 to 10"),
        ("families.csv", "6", "source_id", "source id F4 appears twice in the files"),
        ("people.csv", "3", "nhs_number", "This is not a valid NHS number: check the digits"),
        ("people.csv", "4", "date_of_birth", "A child's date of birth must be today or in the past"),
        ("people.csv", "5", "role", "'aunt' is not one of birthing_parent, father, infant, other_carer, partner"),
        ("people.csv", "6", "nhs_number", "a person with this NHS number is already recorded: not merged"),
        ("people.csv", "7", "family_source_id", "no family F9 in the files or imported before"),
        ("people.csv", "8", "nhs_number", "required"),
        ("people.csv", "8", "date_of_birth", "expected a real date written YYYY-MM-DD"),
        ("contacts.csv", "2", "time", "expected a time written HH:MM (24-hour clock)"),
        ("contacts.csv", "2", "practitioner", "no member of staff with this username"),
    ]
    assert counts() == (1, 3, 0)  # only the family made before the import
    assert AuditEvent.objects.filter(object_type="interop.import").count() == 0


def test_valid_only_imports_the_valid_rows_and_reports_the_rest(hv, tmp_path):
    families = write(tmp_path, "f.csv", FAMILIES, "F1,Team A,,,,universal,,,", "F2,Team B,,,,universal,,,")
    people = write(
        tmp_path,
        "p.csv",
        PEOPLE,
        "P1,F1,birthing_parent,9990000018,Alex,Example,,,",
        "P2,F2,birthing_parent,9990000026,Jo,Example,,,",  # its family has errors: reported, not attached
    )
    outcome = importer.run([families, people], by=None, valid_only=True)
    assert outcome.imported == {"families": 1, "people": 1, "contacts": 0}
    assert [(p.file, p.line, p.column) for p in outcome.problems] == [
        ("f.csv", 3, "team"),
        ("p.csv", 3, "family_source_id"),
    ]
    assert list(Person.objects.values_list("given_name", flat=True)) == ["Alex"]


def test_a_source_id_imported_before_with_another_nhs_number_is_refused_not_merged(hv, tmp_path):
    """H-080: the same person id with a different NHS number is never taken as the same person."""
    importer.run(templates(), by=None)
    people = write(tmp_path, "p.csv", PEOPLE, "PER-0001,FAM-0001,birthing_parent,9990000042,Alex,Example,,,")
    outcome = importer.run([people], by=None)
    assert [p.reason for p in outcome.problems] == [
        "this source id was imported before with another NHS number or family"
    ]
    assert Person.objects.filter(nhs_number="9990000042").count() == 0


def test_a_failure_part_way_leaves_nothing_behind(hv, tmp_path, monkeypatch):
    """H-081: the import is one transaction; a failure inserting contacts undoes the families and people."""
    insert = importer._bulk_insert

    def fail_on_contacts(model, objects):
        if model is Contact:
            raise RuntimeError("disk full")
        return insert(model, objects)

    monkeypatch.setattr(importer, "_bulk_insert", fail_on_contacts)
    with pytest.raises(RuntimeError):
        importer.run(templates(), by=None)
    assert (counts(), ImportKey.objects.count()) == ((0, 0, 0), 0)


def test_an_unknown_header_is_a_usage_error(db, tmp_path, capsys):
    path = write(tmp_path, "x.csv", "id,name", "1,Alex")
    assert main(["import", str(path), "--no-progress"], ENVIRON) == 2
    assert capsys.readouterr().err.startswith("pimh: error: x.csv: the header matches no import format")


def test_the_cli_prints_counts_and_draws_progress(hv, tmp_path, capsys):
    status = main(["import", *map(str, templates()), "--report", str(tmp_path / "r.csv")], ENVIRON)
    captured = capsys.readouterr()
    assert status == 0
    assert "imported 2 families, 3 people, 2 contacts; 0 imported before, skipped." in captured.out
    assert "7/7 rows" in captured.err
