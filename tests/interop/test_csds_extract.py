"""The CSDS v1.6 extract on the demo for one month (data-standards section 3)."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from django.utils import timezone

from pimh.cli import main
from pimh.contacts import asq3
from pimh.contacts.models import Contact
from pimh.core.models import AuditAction, AuditEvent
from pimh.demo.loader import load_demo
from pimh.interop import csds, extract
from pimh.screening.models import Screen

ENVIRON = {"DJANGO_SETTINGS_MODULE": "tests.settings"}


def last_month() -> csds.Period:
    first = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    return csds.month(f"{first:%Y-%m}")


@pytest.fixture
def written(db, tmp_path_factory):
    if True:
        load_demo(seed=5, children=120)
        period = last_month()
        out = tmp_path_factory.mktemp("csds") / "out"
        status = main(["csds", "extract", "--month", period.label, "--out", str(out)], ENVIRON)
        built = extract.build(period)
        screens = list(Screen.objects.filter(contact__date__range=(period.start, period.end), total__isnull=False))
        mandated = {
            kind: Contact.objects.filter(date__range=(period.start, period.end), contact_type=kind).count()
            for kind in csds.MANDATED_ACTIVITY
        }
        exports = AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="csds.extract").count()
        return status, out, period, built, screens, mandated, exports


def read(out, table):
    with (out / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return reader.fieldnames, list(reader)


def test_every_table_is_written_with_the_csds_columns(written):
    status, out, *_ = written
    assert status == 0
    assert {table: read(out, table)[0] for table in csds.TABLES} == {t: list(c) for t, c in csds.TABLES.items()}


def test_the_header_and_row_counts_match_the_files(written):
    _, out, period, *_ = written
    _, header = read(out, "CYP000Header")
    _, counts = read(out, "row_counts.csv"[:-4])
    assert (header[0]["DataSetVersion"], header[0]["RP_StartDate"], header[0]["RP_EndDate"]) == (
        "1.6",
        period.start.isoformat(),
        period.end.isoformat(),
    )
    assert {row["table"]: int(row["rows"]) for row in counts} == {t: len(read(out, t)[1]) for t in csds.TABLES}


def test_the_demo_month_has_contacts_activities_people_and_staff(written):
    _, out, *_ = written
    assert all(
        len(read(out, t)[1]) > 0 for t in ("CYP001MPI", "CYP101Referral", "CYP201CareContact", "CYP901StaffDetails")
    )


def test_referential_integrity_holds_in_the_written_files(written):
    _, out, *_ = written
    assert csds.integrity_problems({t: read(out, t)[1] for t in csds.TABLES}) == []


def test_only_contacts_in_the_reporting_period(written):
    _, out, period, *_ = written
    dates = {dt.date.fromisoformat(row["Contact_Date"]) for row in read(out, "CYP201CareContact")[1]}
    assert period.start <= min(dates) and max(dates) <= period.end


def test_every_contact_has_an_activity(written):
    _, out, *_ = written
    contacts = {row["CareContactID"] for row in read(out, "CYP201CareContact")[1]}
    assert contacts == {row["CareContactID"] for row in read(out, "CYP202CareActivity")[1]}


def test_mandated_reviews_are_coded_08_to_11(written):
    _, out, *_, mandated, _ = written
    codes = [row["CommunityCareActivityType"] for row in read(out, "CYP202CareActivity")[1]]
    assert {code: codes.count(code) for code in ("08", "09", "10", "11")} == {
        csds.MANDATED_ACTIVITY[kind]: count for kind, count in mandated.items()
    }
    assert sum(mandated.values()) > 0


def test_screens_are_totals_with_the_scale_code_and_no_item_answers(written):
    _, out, _, _, screens, *_ = written
    columns, rows = read(out, "CYP612CodedAssessmentContact")
    assert columns == ["CareActivityID", "SNOMED_ID", "Score"]
    rows = [r for r in rows if r["CareActivityID"].startswith("S")]  # ASQ-3 rows sit on the review ("A")
    assert sorted((r["CareActivityID"], r["Score"]) for r in rows) == sorted(
        (f"S{s.pk}", str(s.total)) for s in screens
    )
    assert {r["SNOMED_ID"] for r in rows} <= {
        "450320001",
        "720433000",
        "836541000000100",
        "445455005",
        "803351000000106",
        "836571000000106",
    }


def test_feeding_status_goes_to_cyp610_on_the_reviews_activity(written):
    _, out, period, *_ = written
    _, rows = read(out, "CYP610BreastfeedingStatus")
    recorded = Contact.objects.filter(date__range=(period.start, period.end)).exclude(feeding_status="")
    assert sorted((r["CareActivityID"], r["BreastFeedingStatus"]) for r in rows) == sorted(
        (f"A{c.pk}", c.feeding_status) for c in recorded
    )
    assert len(rows) > 0
    assert {r["BreastFeedingStatus"] for r in rows} <= {"01", "02", "03"}


def test_asq3_domain_scores_go_to_cyp612_with_the_interval_and_domain_code(written):
    _, out, period, *_ = written
    _, rows = read(out, "CYP612CodedAssessmentContact")
    reviews = Contact.objects.filter(date__range=(period.start, period.end), asq3_used=True)
    expected = sorted(
        (f"A{c.pk}", asq3.SNOMED[(c.asq3_interval_months, domain)], str(score))
        for c in reviews
        for domain, score in c.asq3_scores.items()
    )
    found = sorted((r["CareActivityID"], r["SNOMED_ID"], r["Score"]) for r in rows if r["CareActivityID"][0] == "A")
    assert found == expected


def test_asq3_rows_of_a_review_built_by_hand(db):
    load_demo(seed=5, children=40)
    review = Contact.objects.filter(contact_type="two_to_two_and_half_year", attendance="attended").first()
    Contact.objects.filter(pk=review.pk).update(
        asq3_used=True, asq3_interval_months=30, asq3_communication=35, asq3_fine_motor=10, asq3_gross_motor=None,
        asq3_problem_solving=None, asq3_personal_social=None, feeding_status="",
    )  # fmt: skip
    built = extract.build(csds.Period(review.date.replace(day=1), review.date))
    rows = [r for r in built.tables["CYP612CodedAssessmentContact"] if r["CareActivityID"] == f"A{review.pk}"]
    assert sorted((r["SNOMED_ID"], r["Score"]) for r in rows) == [("953311000000105", "35"), ("953321000000104", "10")]


def test_no_file_holds_epds_item_answers(written):
    _, out, *_ = written
    headers = [column.lower() for table in csds.TABLES for column in read(out, table)[0]]
    tables = "".join((out / f"{table}.csv").read_text(encoding="utf-8") for table in csds.TABLES)
    assert [h for h in headers if "item" in h or "answer" in h] == []
    assert ("[" in tables, "{" in tables) == (False, False)  # no JSON list of answers or item scores


def test_mandated_codes_reconcile_with_the_database(written):
    _, out, *_ = written
    _, rows = read(out, "reconciliation")
    postnatal = [row for row in rows if row["contact"] != "antenatal"]
    assert [row["difference"] for row in postnatal] == ["0", "0", "0", "0"]
    assert "indicator engine is not on this branch" in rows[0]["source"]


def test_the_extract_is_audited_as_one_export(written):
    *_, exports = written
    assert exports == 1


def test_a_broken_reference_refuses_the_extract_and_writes_nothing(written, tmp_path):
    _, _, period, built, *_ = written
    broken = extract.Extract(period, {t: list(rows) for t, rows in built.tables.items()}, built.reconciliation)
    broken.tables["CYP201CareContact"].append(
        {**broken.tables["CYP201CareContact"][0], "CareContactID": "C999999999", "ServiceRequestID": "HV0"}
    )
    with pytest.raises(
        extract.ExtractRefused, match=r"CYP201CareContact.ServiceRequestID HV0 has no row in CYP101Referral"
    ):
        extract.write(broken, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_bad_month_is_a_usage_error(capsys):
    assert main(["csds", "extract", "--month", "2026-13", "--out", "x"], ENVIRON) == 2
    assert "expected a month written YYYY-MM" in capsys.readouterr().err
