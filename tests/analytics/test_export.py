"""``pimh snapshot``: the service database as a pseudonymised pimh-snapshot/1 that the readers accept."""

from __future__ import annotations

import datetime as dt
import json

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from django.test import override_settings

from pimh.analytics import engine, export, report, snapshot
from pimh.analytics.indicators import parse_quarter
from pimh.cli import main
from pimh.contacts.asq3 import DOMAINS
from pimh.contacts.models import Contact
from pimh.demo.loader import load_demo
from pimh.families.models import Family, Person
from pimh.referrals.models import Referral

ENVIRON = {"DJANGO_SETTINGS_MODULE": "tests.settings"}
KEY = "k" * 40
EXTRACT = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def written(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo (small), with free text added to contacts, referrals and families, written as a snapshot."""
    with django_db_blocker.unblock():
        load_demo(seed=7, children=150, today=EXTRACT)
        contacts = list(Contact.objects.order_by("pk").values_list("pk", flat=True)[:40])
        for pk in contacts:
            Contact.objects.filter(pk=pk).update(notes=f"Visit note {pk}: mother tired, baby feeding well")
        for pk in Referral.objects.values_list("pk", flat=True)[:20]:
            Referral.objects.filter(pk=pk).update(reason_text=f"Low mood since the birth, referral text {pk}")
        Family.objects.filter(pk__in=Family.objects.values_list("pk", flat=True)[:10]).update(
            closed_note="Moved to Leeds with her sister"
        )
        source = {
            "nhs": set(Person.objects.exclude(nhs_number=None).values_list("nhs_number", flat=True)),
            "names": set(Person.objects.values_list("given_name", flat=True))
            | set(Person.objects.values_list("family_name", flat=True)),
            "text": set(Contact.objects.exclude(notes="").values_list("notes", flat=True))
            | set(Referral.objects.exclude(reason_text="").values_list("reason_text", flat=True))
            | {"Moved to Leeds with her sister"},
            "references": set(Family.objects.values_list("reference", flat=True)),
            "people": Person.objects.count(),
            "infants": Person.objects.filter(role="infant").count(),
            "contacts": Contact.objects.count(),
        }
        out = tmp_path_factory.mktemp("snapshot") / "service"
        with override_settings(SNAPSHOT_PSEUDONYM_KEY=KEY):
            status = main(["snapshot", "--out", str(out), "--extract-date", EXTRACT.isoformat()], ENVIRON)
        yield status, out, source
        from django.core.management import call_command

        call_command("flush", verbosity=0, interactive=False)


def string_values(folder) -> list[str]:
    """Every value of every column of every Parquet file in the snapshot, as text."""
    values: list[str] = []
    for path in sorted(folder.glob("*.parquet")):
        table = pq.read_table(path)
        for column in table.columns:
            text = pc.cast(column, pa.string()) if not pa.types.is_string(column.type) else column
            values += [v for v in text.to_pylist() if v is not None]
    return values


def test_the_command_writes_every_table_of_the_contract(written):
    status, out, source = written
    assert status == 0
    manifest = snapshot.check_snapshot(out)
    assert manifest["schema"] == "pimh-snapshot/1"
    assert manifest["extract_date"] == "2026-11-23"
    assert manifest["tables"]["children"] == source["infants"]
    assert manifest["tables"]["contacts"] >= source["contacts"]


def test_the_source_has_what_the_scan_looks_for(written):
    _, _, source = written
    assert len(source["nhs"]) > 100
    assert len(source["names"]) > 50
    assert len(source["text"]) > 40


def test_no_nhs_number_name_note_or_family_reference_in_any_column(written):
    _, out, source = written
    values = string_values(out)
    assert len(values) > 10_000
    present = set(values)
    assert present & source["names"] == set()
    assert present & source["references"] == set()
    blob = "\n".join(values)
    assert [n for n in source["nhs"] if n in blob] == []
    assert [t for t in source["text"] if t in blob] == []


def test_the_key_is_never_written(written):
    _, out, _ = written
    assert all(KEY not in path.read_bytes().decode("latin-1") for path in out.iterdir())


def test_identifiers_are_keyed_hashes_of_the_local_records(written):
    _, out, _ = written
    children = pq.read_table(out / "children.parquet")
    ids = children.column("child_id").to_pylist()
    assert len(set(ids)) == len(ids)
    infant = Person.objects.filter(role="infant").order_by("pk").values_list("pk", "nhs_number").first()
    pseudo = export.Pseudonymiser(KEY)
    assert pseudo.person(*infant) in ids
    assert export.Pseudonymiser("z" * 40).person(*infant) not in ids


def test_contacts_link_to_children_and_use_csds_codes(written):
    _, out, _ = written
    contacts = pq.read_table(out / "contacts.parquet")
    children = set(pq.read_table(out / "children.parquet").column("child_id").to_pylist())
    linked = {c for c in contacts.column("child_id").to_pylist() if c is not None}
    assert linked and linked <= children
    assert set(contacts.column("mechanism").to_pylist()) <= {"01", "02", "11"}
    assert set(contacts.column("attendance").to_pylist()) <= {"2", "3", "4", "5"}
    assert contacts.column("asq3_used").null_count == 0
    assert contacts.column("duration_minutes").null_count == contacts.num_rows  # not recorded: unknown


def test_infant_feeding_comes_from_the_contact(written):
    _, out, _ = written
    feeding = pq.read_table(out / "contacts.parquet").column("breastfeeding_status").to_pylist()
    recorded = Contact.objects.exclude(feeding_status="").count()
    assert recorded > 0
    assert set(feeding) == {"01", "02", "03", None}
    assert len([code for code in feeding if code is not None]) == recorded


def test_every_asq3_domain_scored_is_one_row_linked_to_its_contact(written):
    _, out, _ = written
    scores = pq.read_table(out / "asq3_scores.parquet")
    contact_ids = set(pq.read_table(out / "contacts.parquet").column("contact_id").to_pylist())
    fields = [f"asq3_{domain}" for domain in DOMAINS]
    recorded = sum(len([value for value in row if value is not None]) for row in Contact.objects.values_list(*fields))
    assert recorded > 0
    assert scores.num_rows == recorded
    assert set(scores.column("contact_id").to_pylist()) <= contact_ids
    assert set(scores.column("domain").to_pylist()) == set(DOMAINS)
    assert {score % 5 for score in scores.column("score").to_pylist()} == {0}


def test_the_indicator_engine_reads_it(written):
    _, out, _ = written
    src = engine.open_snapshot(out)
    pack = report.build_pack(src, parse_quarter("FY2026Q1"), breakdowns=[["team"]])
    c2 = [row for row in pack["indicators"] if row["code"] == "C2" and row["group"] == {}]
    assert pack["disclosure"] == "nhsd-2018"
    assert c2[0]["denominator"] != 0


def test_the_manifest_names_the_producer_not_the_key(written):
    _, out, _ = written
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["source"] == "service database"
    assert manifest["producer"].startswith("pimh snapshot")
    assert set(manifest) == {"schema", "created_at", "producer", "source", "extract_date", "coverage", "tables"}


@pytest.mark.django_db
def test_without_a_key_it_refuses_with_one_line(tmp_path, capsys):
    with override_settings(SNAPSHOT_PSEUDONYM_KEY=""):
        status = main(["snapshot", "--out", str(tmp_path / "s")], ENVIRON)
    assert status == 2
    assert capsys.readouterr().err == (
        "pimh: error: SNAPSHOT_PSEUDONYM_KEY must be set to write a snapshot (see docs/configuration.md)\n"
    )
    assert not (tmp_path / "s" / "manifest.json").exists()


@pytest.mark.django_db
def test_it_refuses_a_folder_holding_something_else(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("mine")
    status = main(["snapshot", "--out", str(tmp_path)], ENVIRON)
    assert status == 2
    assert "is not empty and holds no snapshot" in capsys.readouterr().err


def test_a_reader_names_a_missing_column_of_a_written_snapshot(written, tmp_path, capsys):
    _, out, _ = written
    copy = tmp_path / "copy"
    copy.mkdir()
    for path in out.iterdir():
        (copy / path.name).write_bytes(path.read_bytes())
    contacts = pq.read_table(copy / "contacts.parquet").drop_columns(["mechanism"])
    pq.write_table(contacts, copy / "contacts.parquet")
    status = main(["indicators", "--snapshot", str(copy), "--quarter", "FY2026Q1"], ENVIRON)
    assert status == 2
    assert capsys.readouterr().err == "pimh: error: table 'contacts' lacks required column 'mechanism'\n"
