"""Inputs that used to end in an HTTP 500 or a traceback now get a clear message and change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pimh import cli
from pimh.core.models import AuditEvent
from pimh.families.forms import apply_service_errors
from pimh.families.models import Family
from pimh.screening import forms as screening_forms
from pimh.screening import services as screening_services
from pimh.screening.models import Decision
from tests.conftest import next_nhs_number


@pytest.fixture
def mother(family_a):
    return family_a.people.get(role="birthing_parent")


@pytest.fixture
def whooley_suggestion(hv, family_a, mother):
    screen = screening_services.record_screen(
        by=hv, family=family_a, person=mother, instrument="whooley", answers=[1, 1]
    )
    return screen.suggestions.get()


def test_deciding_an_already_decided_suggestion_says_so(client, hv, whooley_suggestion):
    client.force_login(hv)
    url = f"/suggestions/{whooley_suggestion.pk}/decide/"
    assert client.post(url, {"decision": "accept"}).status_code == 302
    again = client.post(url, {"decision": "override", "reason": "Changed my mind"})
    assert again.status_code == 400
    assert "This suggestion has already been decided" in again.content.decode()
    whooley_suggestion.refresh_from_db()
    assert whooley_suggestion.decision == Decision.ACCEPTED


def test_closing_a_flag_someone_else_closed_is_a_message_on_the_form(hv, family_a, mother):
    flag = screening_services.raise_flag(by=hv, family=family_a, person=mother, reason="self_harm_thoughts")
    screening_services.close_flag(by=hv, flag=flag, action_taken="Crisis team assessment arranged")
    form = screening_forms.CloseFlagForm({"action_taken": "Discussed with the GP"})
    assert form.is_valid()
    with pytest.raises(ValidationError) as error:
        screening_services.close_flag(by=hv, flag=flag, action_taken="Discussed with the GP")
    apply_service_errors(form, error.value)
    assert form.non_field_errors() == ["This flag is already closed"]


@pytest.mark.parametrize("value", ["\u00b2", "\u0661", "99999999999999999999999", "-1"])
def test_a_contact_in_the_address_that_is_not_a_plain_number_is_not_found(client, hv, family_a, mother, value):
    client.force_login(hv)
    screen_url = f"/families/{family_a.pk}/screens/add/?person={mother.pk}&instrument=phq2&contact={value}"
    assert client.get(screen_url).status_code == 404
    assert client.get(f"/families/{family_a.pk}/relationship/add/?contact={value}").status_code == 404


def test_a_nul_byte_in_the_caseload_search_is_a_field_error(client, hv, family_a):
    client.force_login(hv)
    response = client.get("/caseload/", {"q": "Test\x00ington"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Search text must contain only letters, numbers, spaces and punctuation" in page
    assert "\x00" not in page


def _registration(**overrides):
    dob = timezone.localdate() - dt.timedelta(days=30 * 365)
    data = {
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
    }
    data.update(overrides)
    return data


def test_an_lsoa_code_that_grows_when_upper_cased_is_a_field_error(client, hv):
    client.force_login(hv)
    response = client.post("/families/register/", _registration(allocated_hv=hv.pk, lsoa_code="ßßßßß"))
    assert response.status_code == 200
    assert "Enter the LSOA code as E01 or W01 and 6 numbers" in response.content.decode()
    assert not Family.objects.exists()


def test_a_real_lsoa_code_is_upper_cased_and_kept(client, hv):
    client.force_login(hv)
    response = client.post("/families/register/", _registration(allocated_hv=hv.pk, lsoa_code="e01000001"))
    assert response.status_code == 302
    assert Family.objects.get().lsoa_code == "E01000001"


@pytest.mark.parametrize("option", ["--dob", "--edd"])
@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01"])
def test_schedule_with_an_implausible_date_is_a_usage_error(capsys, option, value):
    status = cli.main(["schedule", option, value], {})
    captured = capsys.readouterr()
    assert (status, captured.out) == (2, "")
    assert captured.err.startswith(f"pimh: error: {option} must be from ")
    assert captured.err.endswith(f", not {value}\n")
    assert captured.err.count("\n") == 1


def test_the_audit_trail_is_untouched_by_refused_input(client, hv, family_a):
    client.force_login(hv)
    before = AuditEvent.objects.exclude(action="read").count()
    client.get("/caseload/", {"q": "\x00"})
    client.post("/families/register/", _registration(allocated_hv=hv.pk, lsoa_code="ßßßßß"))
    assert AuditEvent.objects.exclude(action="read").count() == before
