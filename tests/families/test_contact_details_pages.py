"""Contact details and alerts: the service (audit, stale saves, LSOA lookup), registration and the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from pimh.core.models import AuditEvent
from pimh.families import contact_services
from pimh.families.contact_details import ContactDetails
from pimh.families.models import Family
from tests.conftest import next_nhs_number

DETAILS = ContactDetails(
    address_line_1="1 Example Street",
    town="Leeds",
    postcode="ls1 4ap",
    phone="07700 900123",
    gp_practice_code="b86001",
    gp_practice_name="Example Surgery",
    alerts=(("lone_worker", "Visit in pairs after dark"),),
)


def _form(family, **overrides):
    values = {
        "version": family.version,
        "address_line_1": "1 Example Street",
        "town": "Leeds",
        "postcode": "ls1 4ap",
        "phone": "+44 7700 900123",
        "gp_practice_code": "B86001",
        "gp_practice_name": "Example Surgery",
        "alert_lone_worker": "on",
        "alert_lone_worker_text": "Visit in pairs after dark",
        "alert_animals_text": "A large dog",
    }
    values.update(overrides)
    return values


def test_saving_details_normalises_them_and_audits_field_names_only(hv, family_a):
    contact_services.update_contact_details(by=hv, family=family_a, details=DETAILS, seen_version=0)
    family = Family.objects.get(pk=family_a.pk)
    assert (family.postcode, family.phone, family.gp_practice_code, family.version) == (
        "LS1 4AP",
        "07700900123",
        "B86001",
        1,
    )
    assert family.alerts == [{"kind": "lone_worker", "text": "Visit in pairs after dark"}]
    event = AuditEvent.objects.filter(action="update", object_type="families.Family").latest("id")
    assert sorted(event.detail["fields"]) == sorted(
        ["address_line_1", "town", "postcode", "phone", "gp_practice_code", "gp_practice_name", "alerts"]
    )
    assert "LS1" not in str(event.detail) and "pairs" not in str(event.detail)


def test_a_bad_postcode_saves_nothing(hv, family_a):
    with pytest.raises(ValidationError) as caught:
        contact_services.update_contact_details(
            by=hv, family=family_a, details=ContactDetails(postcode="LS1 4A"), seen_version=0
        )
    assert caught.value.message_dict == {"postcode": ["Enter a real UK postcode, for example SW1A 1AA"]}
    family_a.refresh_from_db()
    assert (family_a.postcode, family_a.version) == ("", 0)


def test_a_stale_form_is_refused(hv, lead, family_a):
    contact_services.update_contact_details(by=lead, family=family_a, details=DETAILS, seen_version=0)
    with pytest.raises(ValidationError, match="Changed by"):
        contact_services.update_contact_details(
            by=hv, family=family_a, details=ContactDetails(postcode="M1 1AE"), seen_version=0
        )
    family_a.refresh_from_db()
    assert family_a.postcode == "LS1 4AP"


def test_the_lsoa_code_comes_from_the_configured_lookup(hv, family_a, tmp_path):
    table = tmp_path / "postcodes.csv"
    table.write_text("pcds,oa21cd,lsoa21cd\nLS1 4AP,E00000001,E01011365\nM1 1AE,E00000002,E01005131\n")
    with override_settings(POSTCODE_LSOA_CSV=str(table)):
        contact_services.update_contact_details(by=hv, family=family_a, details=DETAILS, seen_version=0)
    family_a.refresh_from_db()
    assert family_a.lsoa_code == "E01011365"


def test_a_lookup_without_a_header_uses_the_first_two_columns(hv, family_a, tmp_path):
    table = tmp_path / "postcodes.csv"
    table.write_text("LS14AP,E01011365\n")
    with override_settings(POSTCODE_LSOA_CSV=str(table)):
        contact_services.update_contact_details(by=hv, family=family_a, details=DETAILS, seen_version=0)
    family_a.refresh_from_db()
    assert family_a.lsoa_code == "E01011365"


def test_without_a_lookup_the_lsoa_code_typed_is_kept(hv, family_a):
    details = ContactDetails(postcode="LS1 4AP", lsoa_code="e01000001")
    contact_services.update_contact_details(by=hv, family=family_a, details=details, seen_version=0)
    family_a.refresh_from_db()
    assert family_a.lsoa_code == "E01000001"


def test_the_edit_page_shows_what_was_typed_after_saving(client, hv, family_a):
    client.force_login(hv)
    response = client.post(f"/families/{family_a.pk}/contact-details/", _form(family_a))
    assert response.status_code == 302
    page = client.get(f"/families/{family_a.pk}/contact-details/").content.decode()
    for shown in (
        'value="LS1 4AP"',
        'value="07700 900123"',
        'value="Visit in pairs after dark"',
        'value="A large dog"',
    ):
        assert shown in page
    record = client.get(f"/families/{family_a.pk}/").content.decode()
    assert "Alerts for visiting staff" in record
    assert "Lone-worker risk" in record
    assert "Animals at the address" in record
    assert "1 Example Street, Leeds, LS1 4AP" in record
    assert "Example Surgery (B86001)" in record


def test_the_edit_page_shows_each_error_with_the_summary_and_saves_nothing(client, hv, family_a):
    client.force_login(hv)
    page = client.post(
        f"/families/{family_a.pk}/contact-details/", _form(family_a, postcode="LS1", phone="12345", lsoa_code="E1")
    ).content.decode()
    assert 'class="nhsuk-error-summary"' in page
    assert "Enter a real UK postcode, for example SW1A 1AA" in page
    assert "starting with 0" in page
    assert "E01 or W01 and 6 numbers" in page
    assert 'value="LS1"' in page  # what was typed is shown again
    family_a.refresh_from_db()
    assert (family_a.postcode, family_a.version) == ("", 0)


def test_alerts_show_as_tags_on_the_caseload_and_my_work(client, hv, team_a):
    from tests.conftest import make_family

    family = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=12)
    contact_services.update_contact_details(by=hv, family=family, details=DETAILS, seen_version=0)
    client.force_login(hv)
    tag = '<strong class="nhsuk-tag nhsuk-tag--orange">Lone-worker risk</strong>'
    assert tag in client.get("/caseload/").content.decode()
    assert tag in client.get("/work/").content.decode()


def test_registration_records_the_contact_details(client, hv, team_a):
    client.force_login(hv)
    dob = timezone.localdate() - dt.timedelta(days=30 * 365)
    response = client.post(
        "/families/register/",
        {
            "allocated_hv": hv.pk,
            "service_level": "universal",
            "safeguarding": "none",
            "language": "English",
            "parent_given_name": "Maya",
            "parent_family_name": "Brightwater",
            "parent_nhs_number": next_nhs_number(),
            "parent_date_of_birth_day": dob.day,
            "parent_date_of_birth_month": dob.month,
            "parent_date_of_birth_year": dob.year,
            "parent_ethnic_category": "A",
            "second_sex": "U",
            "second_ethnic_category": "99",
            "address_line_1": "2 Example Road",
            "postcode": "m11ae",
            "lsoa_code": "e01005131",
            "phone": "0161 496 0000",
            "alert_animals": "on",
        },
    )
    assert response.status_code == 302
    family = Family.objects.get()
    assert (family.postcode, family.lsoa_code, family.phone, family.alerts) == (
        "M1 1AE",
        "E01005131",
        "01614960000",
        [{"kind": "animals", "text": ""}],
    )


def test_registration_with_a_bad_postcode_saves_nothing(client, hv, team_a):
    client.force_login(hv)
    page = client.post(
        "/families/register/",
        {"allocated_hv": hv.pk, "service_level": "universal", "safeguarding": "none", "postcode": "ZZ"},
    ).content.decode()
    assert "Enter a real UK postcode, for example SW1A 1AA" in page
    assert not Family.objects.exists()


def test_an_unreadable_lookup_file_leaves_the_code_typed_and_is_logged(hv, family_a, tmp_path, caplog):
    details = ContactDetails(postcode="LS1 4AP", lsoa_code="E01000001")
    with override_settings(POSTCODE_LSOA_CSV=str(tmp_path / "missing.csv")):
        contact_services.update_contact_details(by=hv, family=family_a, details=details, seen_version=0)
    family_a.refresh_from_db()
    assert family_a.lsoa_code == "E01000001"
    assert "POSTCODE_LSOA_CSV" in caplog.text
    assert "LS1" not in caplog.text
