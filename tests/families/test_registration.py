"""Bad input is refused with a specific field error and nothing is saved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pimh.core.models import AuditEvent
from pimh.families import services
from pimh.families.models import Family, Person, Pregnancy
from tests.conftest import next_nhs_number, person_data

TODAY = timezone.localdate


def _register(by, team, **overrides):
    args = {"by": by, "team": team, "allocated_hv": by, "details": services.FamilyDetails(), "parent": person_data()}
    args.update(overrides)
    return services.register_family(**args)


def _counts():
    return (Family.objects.count(), Person.objects.count(), Pregnancy.objects.count(), AuditEvent.objects.count())


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"parent": person_data(nhs_number="9990000017")}, "parent_nhs_number", "not a valid NHS number"),
        ({"parent": person_data(nhs_number="12345")}, "parent_nhs_number", "10 digits"),
        (
            {"parent": person_data(date_of_birth=dt.date.today() + dt.timedelta(days=1))},
            "parent_date_of_birth",
            "today or in the past",
        ),
        ({"edd": dt.date.today() + dt.timedelta(weeks=44, days=1)}, "edd", "within 44 weeks"),
        ({"parent": person_data(given_name="  ")}, "parent_given_name", "Enter a given name"),
        ({"parent": person_data(nhs_number="")}, "parent_nhs_number", "Enter the NHS number"),
    ],
)
def test_register_family_refuses_bad_input_and_saves_nothing(hv, team_a, overrides, field, message):
    before = _counts()
    with pytest.raises(ValidationError) as error:
        _register(hv, team_a, **overrides)
    assert message in " ".join(error.value.message_dict[field])
    assert _counts() == before


def test_edd_exactly_44_weeks_ahead_is_accepted(hv, team_a):
    family = _register(hv, team_a, edd=TODAY() + dt.timedelta(weeks=44))
    assert family.pregnancies.get().edd == TODAY() + dt.timedelta(weeks=44)


def test_duplicate_nhs_number_is_refused_and_saves_nothing(hv, team_a, family_a):
    taken = family_a.people.filter(role="birthing_parent").get().nhs_number
    before = _counts()
    with pytest.raises(ValidationError) as error:
        _register(hv, team_a, parent=person_data(nhs_number=taken))
    assert error.value.message_dict["parent_nhs_number"] == ["A person with this NHS number is already recorded"]
    assert _counts() == before


def test_second_parent_error_leaves_no_family_behind(hv, team_a):
    before = _counts()
    with pytest.raises(ValidationError) as error:
        _register(hv, team_a, second_parent=person_data("father", nhs_number="9990000017"))
    assert "second_nhs_number" in error.value.message_dict
    assert _counts() == before


def test_register_records_family_people_pregnancy_history_and_audit(hv, team_a):
    edd = TODAY() + dt.timedelta(weeks=20)
    family = _register(hv, team_a, second_parent=person_data("father"), edd=edd)
    assert sorted(family.people.values_list("role", flat=True)) == ["birthing_parent", "father"]
    assert family.pregnancies.get().edd == edd
    assert family.service_level_history.get().level == "universal"
    actions = set(AuditEvent.objects.filter(family_id=family.pk).values_list("action", "object_type"))
    assert {("create", "families.Family"), ("create", "families.Person"), ("create", "families.Pregnancy")} <= actions


def test_father_without_nhs_number_is_allowed(hv, team_a):
    family = _register(hv, team_a, second_parent=person_data("father", nhs_number=""))
    assert family.people.get(role="father").nhs_number is None


def test_allocated_hv_must_be_in_the_team(hv, team_a, colleague_b):
    with pytest.raises(ValidationError) as error:
        _register(hv, team_a, allocated_hv=colleague_b)
    assert "allocated_hv" in error.value.message_dict


def test_update_person_keeps_own_nhs_number_and_audits_changed_fields(hv, family_a):
    person = family_a.people.get(role="father")
    data = services.PersonData(
        role="father",
        given_name="Samuel",
        family_name=person.family_name,
        nhs_number=person.nhs_number,
        date_of_birth=person.date_of_birth,
        sex="M",
    )
    services.update_person(by=hv, person=person, data=data)
    person.refresh_from_db()
    assert person.given_name == "Samuel"
    event = AuditEvent.objects.filter(object_type="families.Person", action="update").get()
    assert event.detail == {"fields": ["given_name"]}


def test_live_birth_links_infant_to_pregnancy_and_mother(hv, team_a):
    family = _register(hv, team_a, edd=TODAY() + dt.timedelta(days=10))
    pregnancy = family.pregnancies.get()
    [baby] = services.record_live_birth(
        by=hv, pregnancy=pregnancy, infants=[person_data("infant", date_of_birth=TODAY())]
    )
    pregnancy.refresh_from_db()
    assert (pregnancy.outcome, pregnancy.outcome_date, baby.pregnancy_id) == ("live_birth", TODAY(), pregnancy.pk)
    assert baby.relationships_to_adults.get().kind == "birth_mother"


def test_loss_stops_routine_prompts_and_cannot_be_recorded_twice(hv, team_a):
    family = _register(hv, team_a, edd=TODAY() + dt.timedelta(weeks=12))
    pregnancy = services.record_pregnancy_loss(by=hv, pregnancy=family.pregnancies.get(), on=TODAY())
    assert pregnancy.routine_prompts_stopped
    with pytest.raises(ValidationError):
        services.record_pregnancy_loss(by=hv, pregnancy=pregnancy, on=TODAY())


def test_service_level_history_is_dated_and_current_level_follows_newest(hv, family_a):
    services.change_service_level(by=hv, family=family_a, level="universal_plus", effective_from=TODAY())
    services.change_service_level(
        by=hv,
        family=family_a,
        level="partnership_plus",
        effective_from=TODAY() - dt.timedelta(days=400),
        reason="Backdated",
    )
    family_a.refresh_from_db()
    assert family_a.service_level == "universal_plus"
    assert family_a.service_level_history.count() == 3


def test_form_shows_field_errors_and_saves_nothing(signed_in, hv, team_a):
    client = signed_in(hv)
    before = _counts()
    future = TODAY() + dt.timedelta(days=3)
    response = client.post(
        "/families/register/",
        {
            "allocated_hv": hv.pk,
            "service_level": "universal",
            "safeguarding": "none",
            "language": "English",
            "parent_given_name": "",
            "parent_family_name": "Smith",
            "parent_nhs_number": "999 000 0017",
            "parent_date_of_birth_day": future.day,
            "parent_date_of_birth_month": future.month,
            "parent_date_of_birth_year": future.year,
            "parent_ethnic_category": "A",
            "second_sex": "U",
            "second_ethnic_category": "99",
            "edd_day": "31",
            "edd_month": "2",
            "edd_year": "2027",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter the birthing parent&#39;s given name" in page
    assert "This is not a valid NHS number" in page
    assert "Date must be a real date" in page
    assert _counts() == before


def test_form_registers_a_family_and_redirects_to_its_record(signed_in, hv, team_a):
    client = signed_in(hv)
    dob = TODAY() - dt.timedelta(days=30 * 365)
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
            "second_role": "father",
            "second_given_name": "Tom",
            "second_family_name": "Brightwater",
            "second_sex": "M",
            "second_ethnic_category": "A",
        },
    )
    family = Family.objects.get()
    assert response.status_code == 302
    assert response.url == f"/families/{family.pk}/"
    assert family.people.get(role="father").given_name == "Tom"
