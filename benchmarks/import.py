"""Time ``pimh import`` on generated CSV files against the per-row alternative through the services.

Generates families, people (3 per family) and contacts (6 per family) totalling ``--rows`` rows,
imports them into a fresh database (``--postgres``: a throwaway PostgreSQL cluster, tests/postgres.py),
then registers a sample of families through the services one row at a time (register_family,
add_person, record_contact: one audit event and one transaction each) and quotes the ratio of rows
per second.

    .venv/bin/python benchmarks/import.py [--postgres] [--rows 1000000] [--sample 100]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PEOPLE_PER_FAMILY = 3
CONTACTS_PER_FAMILY = 6


def configure(use_postgres: bool) -> None:
    folder = tempfile.mkdtemp(prefix="pimh-bench-")
    os.environ.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": "b" * 60,
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "false",
            "PIMH_VAR_DIR": folder,
            "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3",
        }
    )
    os.environ["DJANGO_SETTINGS_MODULE"] = "pimh.config.settings"
    import django
    from django.conf import settings

    if use_postgres:
        from tests.postgres import start_for_session

        settings.DATABASES = {"default": start_for_session()}
    django.setup()


def generate(folder: Path, families: int, today: dt.date, *, offset: int = 0) -> list[Path]:
    import numpy as np

    from pimh.demo.generator import nhs_numbers
    from pimh.interop.rows import COLUMNS

    rng = np.random.default_rng(7 + offset)
    numbers = nhs_numbers(rng, families * PEOPLE_PER_FAMILY)
    kinds = ["new_birth_visit", "six_to_eight_week", "twelve_month", "additional", "additional", "listening_visit"]
    paths = [folder / "families.csv", folder / "people.csv", folder / "contacts.csv"]
    with paths[0].open("w", newline="") as f, paths[1].open("w", newline="") as p, paths[2].open("w", newline="") as c:
        fw, pw, cw = csv.writer(f), csv.writer(p), csv.writer(c)
        fw.writerow(COLUMNS["families"])
        pw.writerow(COLUMNS["people"])
        cw.writerow(COLUMNS["contacts"])
        for i in range(offset, offset + families):
            family = f"F{i}"
            fw.writerow([family, "Team A", "E06000001", "", str(i % 10 + 1), "universal", "none", "English", "no"])
            born = today - dt.timedelta(days=30 + i % 900)
            roles = (
                ("birthing_parent", "F", today - dt.timedelta(days=11000)),
                ("father", "M", today - dt.timedelta(days=11500)),
                ("infant", "U", born),
            )
            for j, (role, sex, dob) in enumerate(roles):
                pw.writerow(
                    [
                        f"P{i}-{j}",
                        family,
                        role,
                        numbers[(i - offset) * PEOPLE_PER_FAMILY + j],
                        "Test",
                        f"Family{i}",
                        dob.isoformat(),
                        sex,
                        "A",
                    ]
                )
            for k, kind in enumerate(kinds):
                day = min(born + dt.timedelta(days=10 + 60 * k), today)
                cw.writerow(
                    [
                        f"C{i}-{k}",
                        family,
                        f"P{i}-2",
                        kind,
                        day.isoformat(),
                        "10:00",
                        "hv",
                        "face_to_face",
                        "home",
                        "attended",
                    ]
                )
    return paths


def per_row_through_services(families: int, today: dt.date) -> tuple[float, int]:
    """Seconds and rows for ``families`` families registered, people added and contacts recorded one by one."""
    import numpy as np

    from pimh.contacts.services import ContactData, record_contact
    from pimh.core.models import Team, User
    from pimh.demo.generator import nhs_numbers
    from pimh.families.models import Person
    from pimh.families.services import FamilyDetails, PersonData, add_person, register_family

    hv = User.objects.get(username="hv")
    team = Team.objects.get(name="Team A")
    # NHS numbers the import did not use (at a million rows it holds hundreds of thousands of them).
    taken = set(Person.objects.exclude(nhs_number=None).values_list("nhs_number", flat=True))
    candidates = nhs_numbers(np.random.default_rng(99), families * PEOPLE_PER_FAMILY + len(taken) + 10_000)
    numbers = iter([n for n in map(str, candidates) if n not in taken])
    rows = 0
    start = time.perf_counter()
    for i in range(families):
        born = today - dt.timedelta(days=30 + i % 900)
        family = register_family(
            by=hv,
            team=team,
            allocated_hv=None,
            details=FamilyDetails(),
            parent=PersonData("birthing_parent", "Test", f"S{i}", str(next(numbers)), today - dt.timedelta(days=11000)),
        )
        add_person(
            by=hv,
            family=family,
            data=PersonData("father", "Test", f"S{i}", str(next(numbers)), today - dt.timedelta(days=11500)),
        )
        infant = add_person(by=hv, family=family, data=PersonData("infant", "Test", f"S{i}", str(next(numbers)), born))
        rows += 1 + PEOPLE_PER_FAMILY
        for k in range(CONTACTS_PER_FAMILY):
            record_contact(
                by=hv,
                family=family,
                data=ContactData(
                    "additional",
                    min(born + dt.timedelta(days=10 + 60 * k), today),
                    subject_id=infant.pk,
                    present_ids=(infant.pk,),
                ),
                today=today,
            )
            rows += 1
    return time.perf_counter() - start, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="use a throwaway PostgreSQL cluster")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=100, help="families through the services, one row at a time")
    args = parser.parse_args()
    configure(args.postgres)

    from django.core.management import call_command
    from django.utils import timezone

    from pimh.core.models import Organisation, Team, User
    from pimh.interop import importer

    call_command("migrate", verbosity=0)
    organisation = Organisation.objects.create(name="Bench Trust", ods_code="RB1")
    team = Team.objects.create(organisation=organisation, name="Team A", local_authority_code="E06000001")
    User.objects.create_user(username="hv", password="x" * 20, role="hv").teams.set([team])
    today = timezone.localdate()
    families = args.rows // (1 + PEOPLE_PER_FAMILY + CONTACTS_PER_FAMILY)
    folder = Path(tempfile.mkdtemp(prefix="pimh-import-"))
    start = time.perf_counter()
    paths = generate(folder, families, today)
    generated = time.perf_counter() - start

    start, cpu = time.perf_counter(), time.process_time()
    outcome = importer.run(paths, by=None, report=folder / "report.csv")
    bulk, bulk_cpu = time.perf_counter() - start, time.process_time() - cpu
    assert not outcome.problems, outcome.problems[:3]
    start = time.perf_counter()
    again = importer.run(paths, by=None)
    rerun = time.perf_counter() - start
    assert again.total_imported == 0

    per_row_seconds, per_row_rows = per_row_through_services(args.sample, today)

    engine = "PostgreSQL" if args.postgres else "SQLite"
    rate, per_row_rate = outcome.rows / bulk, per_row_rows / per_row_seconds
    load = os.getloadavg()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {engine}; "
        f"load average {load[0]:.1f} (shared with other agents)"
    )
    print(f"generated {outcome.rows:,} rows ({families:,} families) in {generated:.1f} s")
    print(
        f"pimh import: {outcome.rows:,} rows checked and imported in {bulk:.1f} s ({rate:,.0f} rows/s); "
        f"this process's own CPU time {bulk_cpu:.1f} s"
    )
    print(f"re-run of the same files: {rerun:.1f} s, nothing imported twice")
    print(
        f"per row through the services: {per_row_rows:,} rows in {per_row_seconds:.1f} s ({per_row_rate:,.0f} rows/s)"
    )
    print(f"ratio: the import is {rate / per_row_rate:.0f}x faster per row")


if __name__ == "__main__":
    main()
