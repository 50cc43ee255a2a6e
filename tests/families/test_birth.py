"""The birth records one or more babies (twins: two), each linked to the pregnancy and the mother."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from pimh.families import services
from pimh.families.models import Person
from tests.conftest import FROZEN_TODAY, make_family, next_nhs_number, person_data

TODAY = FROZEN_TODAY


@pytest.fixture(autouse=True)
def _clock(frozen_clock):
    return frozen_clock


@pytest.fixture
def pregnancy(hv, team_a):
    family = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=None)
    mother = family.people.get(role="birthing_parent")
    return services.add_pregnancy(by=hv, family=family, mother=mother, edd=TODAY + dt.timedelta(days=5))


def baby_fields(n: int, name: str, nhs: str, **overrides) -> dict[str, str]:
    fields = {
        "role": "infant",
        "given_name": name,
        "family_name": "Testington",
        "nhs_number": nhs,
        "date_of_birth_day": str(TODAY.day),
        "date_of_birth_month": str(TODAY.month),
        "date_of_birth_year": str(TODAY.year),
        "sex": "U",
        "ethnic_category": "99",
    }
    fields.update(overrides)
    return {f"baby{n}-{key}": value for key, value in fields.items()}


def test_twins_are_recorded_together_each_linked_to_pregnancy_and_mother(hv, pregnancy):
    ada, bo = services.record_live_birth(
        by=hv,
        pregnancy=pregnancy,
        infants=[
            person_data("infant", given_name="Ada", date_of_birth=TODAY),
            person_data("infant", given_name="Bo", date_of_birth=TODAY),
        ],
    )
    assert [(p.pregnancy_id, p.relationships_to_adults.get().adult_id) for p in (ada, bo)] == [
        (pregnancy.pk, pregnancy.mother_id),
        (pregnancy.pk, pregnancy.mother_id),
    ]
    assert sorted(pregnancy.family.tasks.filter(kind="new_birth_visit").values_list("person_id", flat=True)) == sorted(
        [ada.pk, bo.pk]
    )


def test_twins_with_one_nhs_number_are_refused_and_nothing_is_saved(hv, pregnancy):
    nhs = next_nhs_number()
    people = Person.objects.count()
    with pytest.raises(ValidationError) as error:
        services.record_live_birth(
            by=hv,
            pregnancy=pregnancy,
            infants=[person_data("infant", nhs_number=nhs), person_data("infant", nhs_number=nhs, given_name=" ")],
        )
    assert error.value.message_dict == {
        "infant1_given_name": ["Enter a given name"],
        "infant1_nhs_number": ["Each baby has their own NHS number"],
    }
    pregnancy.refresh_from_db()
    assert (Person.objects.count(), pregnancy.outcome) == (people, "ongoing")


def test_the_birth_page_shows_a_set_of_fields_per_baby(client, hv, pregnancy):
    client.force_login(hv)
    one = client.get(f"/pregnancies/{pregnancy.pk}/birth/").content.decode()
    two = client.get(f"/pregnancies/{pregnancy.pk}/birth/?babies=2").content.decode()
    assert ('name="baby1-given_name"' in one, 'name="baby2-given_name"' in one) == (True, False)
    assert ('name="baby2-given_name"' in two, "Baby 2" in two, "Save babies" in two) == (True, True, True)
    assert "add the second from the family record" not in two


def test_the_birth_page_records_twins(client, hv, pregnancy):
    client.force_login(hv)
    data = {"babies": "2", **baby_fields(1, "Ada", next_nhs_number()), **baby_fields(2, "Bo", next_nhs_number())}
    response = client.post(f"/pregnancies/{pregnancy.pk}/birth/", data, follow=True)
    assert response.redirect_chain == [(f"/families/{pregnancy.family_id}/", 302)]
    assert "Birth recorded: Ada Testington and Bo Testington" in response.content.decode()
    assert sorted(pregnancy.infants.values_list("given_name", flat=True)) == ["Ada", "Bo"]


def test_an_error_on_the_second_baby_is_shown_on_its_field_and_nothing_is_saved(client, hv, pregnancy):
    client.force_login(hv)
    nhs = next_nhs_number()
    data = {"babies": "2", **baby_fields(1, "Ada", nhs), **baby_fields(2, "Bo", nhs)}
    response = client.post(f"/pregnancies/{pregnancy.pk}/birth/", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_baby2-nhs_number"' in page
    assert "Baby 2: Each baby has their own NHS number" in page
    assert not pregnancy.infants.exists()


def test_the_birth_page_labels_nhs_number_and_date_of_birth_as_required(client, hv, pregnancy):
    client.force_login(hv)
    page = client.get(f"/pregnancies/{pregnancy.pk}/birth/").content.decode()
    assert ("NHS number (optional)" in page, "Date of birth (optional)" in page) == (False, False)


def test_the_birth_page_shows_every_error_in_one_round(client, hv, pregnancy):
    client.force_login(hv)
    taken = Person.objects.exclude(nhs_number="").values_list("nhs_number", flat=True).first()
    data = {"babies": "1", **baby_fields(1, "", taken, date_of_birth_year=str(TODAY.year + 1))}
    page = client.post(f"/pregnancies/{pregnancy.pk}/birth/", data).content.decode()
    assert ("Enter a given name" in page, "A person with this NHS number is already recorded" in page) == (True, True)
    assert "Date of birth must be today or in the past" in page
    assert not pregnancy.infants.exists()


def test_a_birth_without_nhs_number_or_date_of_birth_names_both_at_once(client, hv, pregnancy):
    client.force_login(hv)
    blank = {"nhs_number": "", "date_of_birth_day": "", "date_of_birth_month": "", "date_of_birth_year": ""}
    page = client.post(f"/pregnancies/{pregnancy.pk}/birth/", {"babies": "1", **baby_fields(1, "Ada", "", **blank)})
    text = page.content.decode()
    assert ("Enter the NHS number" in text, "Enter the date of birth" in text) == (True, True)
