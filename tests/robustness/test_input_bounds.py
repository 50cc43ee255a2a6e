"""Dates far outside a plausible range, over-long free text and empty break-glass reasons are refused."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pimh.contacts import forms as contact_forms
from pimh.contacts import services as contact_services
from pimh.contacts.models import Contact
from pimh.core import bounds
from pimh.families import services as family_services
from pimh.referrals import services as referral_services
from pimh.referrals.models import Referral, Service, SupervisionSession, TrainingRecord
from pimh.screening import services as screening_services
from tests.conftest import person_data

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 1)


# ---- the pure ranges, at their edges -----------------------------------------------------------


@pytest.mark.parametrize("bound", list(bounds.DATE_BOUNDS.values()), ids=list(bounds.DATE_BOUNDS))
def test_each_range_accepts_its_edges_and_refuses_a_day_beyond(bound):
    earliest, latest = bound.earliest(TODAY), bound.latest(TODAY)
    assert (bound.problem(earliest, today=TODAY), bound.problem(latest, today=TODAY)) == (None, None)
    too_early = bound.problem(earliest - dt.timedelta(days=1), today=TODAY)
    too_late = bound.problem(latest + dt.timedelta(days=1), today=TODAY)
    assert too_early.endswith(f"must be on or after {earliest.day} {earliest:%B %Y}")
    assert too_late.endswith("must be today or in the past" if bound.days_ahead == 0 else f"{latest:%B %Y}")


def test_date_of_birth_range_is_120_years_to_today():
    assert bounds.DATE_OF_BIRTH.earliest(TODAY) == dt.date(1906, 12, 1)
    assert bounds.DATE_OF_BIRTH.problem(dt.date(1, 1, 1), today=TODAY) == (
        "Date of birth must be on or after 1 December 1906"
    )


def test_a_year_back_from_29_february_is_28_february():
    assert bounds.years_before(dt.date(2028, 2, 29), 1) == dt.date(2027, 2, 28)


@pytest.mark.parametrize(
    ("text", "counted"), [("Urgent call", 10), ("..........  a", 1), ("   \t\n  ", 0), ("Visite 2 à 3h", 10)]
)
def test_break_glass_reasons_count_letters_and_digits_only(text, counted):
    assert bounds.letters_and_digits(text) == counted


def test_every_limit_is_in_the_documentation():
    page = (ROOT / "docs" / "input-limits.md").read_text()
    rows = [f"| `{name}` | {b.what} | {b.years_back} | {b.days_ahead} |" for name, b in bounds.DATE_BOUNDS.items()]
    rows += [f"| `{name}` | {value:,} |" for name, value in bounds.TEXT_LIMITS.items()]
    assert [row for row in rows if row not in page] == []


# ---- services refuse them with field errors ----------------------------------------------------


def _field_error(error: ValidationError, field: str) -> str:
    return " ".join(error.message_dict[field])


@pytest.mark.parametrize(
    ("role", "born", "message"),
    [
        ("birthing_parent", dt.date(1, 1, 1), "Date of birth must be on or after"),
        ("father", dt.date(1800, 6, 1), "Date of birth must be on or after"),
        ("infant", dt.date(1990, 6, 1), "A child's date of birth must be on or after"),
    ],
)
def test_a_birth_long_ago_is_refused(hv, family_a, role, born, message):
    with pytest.raises(ValidationError) as error:
        family_services.add_person(by=hv, family=family_a, data=person_data(role, date_of_birth=born))
    assert message in _field_error(error.value, "date_of_birth")


def test_the_edit_form_refuses_a_birth_in_year_1(client, hv, family_a):
    person = family_a.people.get(role="father")
    client.force_login(hv)
    response = client.post(
        f"/people/{person.pk}/edit/",
        {
            "role": "father",
            "given_name": "Sam",
            "family_name": person.family_name,
            "date_of_birth_day": "1",
            "date_of_birth_month": "1",
            "date_of_birth_year": "0001",
            "sex": "M",
            "ethnic_category": "99",
            "version": 0,
        },
    )
    assert response.status_code == 200
    assert "Date of birth must be on or after" in response.content.decode()
    person.refresh_from_db()
    assert person.version == 0


def _visit(family, **changes):
    values = {
        "contact_type": "additional",
        "date": timezone.localdate(),
        "present_ids": (family.people.get(role="birthing_parent").pk,),
    }
    values.update(changes)
    return contact_services.ContactData(**values)


def test_a_contact_dated_in_year_1_or_with_overlong_notes_is_refused(hv, family_a):
    with pytest.raises(ValidationError) as error:
        contact_services.record_contact(
            by=hv, family=family_a, data=_visit(family_a, date=dt.date(1, 1, 1), notes="x" * (bounds.NOTES_MAX + 1))
        )
    assert "Date of the contact must be on or after" in _field_error(error.value, "date")
    assert "Notes must be 5,000 characters or fewer (it has 5,001)" == _field_error(error.value, "notes")
    assert not Contact.objects.exists()


def test_the_contact_form_limits_notes_too(family_a):
    form = contact_forms.ContactForm({"notes": "x" * (bounds.NOTES_MAX + 1)}, family=family_a)
    assert not form.is_valid()
    assert "at most 5000 characters" in " ".join(form.errors["notes"])


def test_notes_of_exactly_the_limit_are_kept(hv, family_a):
    contact = contact_services.record_contact(by=hv, family=family_a, data=_visit(family_a, notes="x" * 5000))
    assert len(Contact.objects.get(pk=contact.pk).notes) == bounds.NOTES_MAX


def test_a_service_level_change_in_year_1_is_refused(hv, family_a):
    with pytest.raises(ValidationError) as error:
        family_services.change_service_level(
            by=hv, family=family_a, level="universal_plus", effective_from=dt.date(1, 1, 1)
        )
    assert "must be on or after" in _field_error(error.value, "effective_from")


def test_a_pregnancy_loss_in_year_1_is_refused(hv, family_a):
    pregnancy = family_services.add_pregnancy(
        by=hv,
        family=family_a,
        mother=family_a.people.get(role="birthing_parent"),
        edd=timezone.localdate() + dt.timedelta(weeks=4),
    )
    with pytest.raises(ValidationError) as error:
        family_services.record_pregnancy_loss(by=hv, pregnancy=pregnancy, on=dt.date(1, 1, 1))
    assert "Date of the loss must be on or after" in _field_error(error.value, "outcome_date")
    pregnancy.refresh_from_db()
    assert pregnancy.outcome == "ongoing"


@pytest.fixture
def accepted_referral(hv, family_a):
    service = Service.objects.create(name="Perinatal Team", kind="perinatal_mh_team", sees="parent")
    referral = referral_services.create_and_send(
        by=hv,
        family=family_a,
        person=family_a.people.get(role="birthing_parent"),
        service=service,
        urgency="routine",
        reason_code="depression",
        consent="given",
    )
    referral_services.acknowledge(by=hv, referral=referral)
    return referral_services.accept(by=hv, referral=referral)


def test_an_appointment_in_9999_is_refused_on_the_page(client, hv, accepted_referral):
    client.force_login(hv)
    response = client.post(
        f"/referrals/{accepted_referral.pk}/",
        {
            "event": "offer_first_appointment",
            "seen_status": "accepted",
            "appt-first_appointment_on_day": "31",
            "appt-first_appointment_on_month": "12",
            "appt-first_appointment_on_year": "9999",
        },
    )
    assert response.status_code == 200
    assert "Date of the first appointment must be on or before" in response.content.decode()
    accepted_referral.refresh_from_db()
    assert (accepted_referral.status, accepted_referral.first_appointment_on) == ("accepted", None)


def test_referral_details_over_the_limit_are_refused(hv, family_a):
    service = Service.objects.create(name="Perinatal Team", kind="perinatal_mh_team", sees="parent")
    with pytest.raises(ValidationError) as error:
        referral_services.create_referral(
            by=hv,
            family=family_a,
            person=family_a.people.get(role="birthing_parent"),
            service=service,
            urgency="routine",
            reason_code="depression",
            reason_text="x" * (bounds.REFERRAL_DETAILS_MAX + 1),
            consent="given",
        )
    assert "The details must be 2,000 characters or fewer" in _field_error(error.value, "reason_text")
    assert not Referral.objects.exists()


def test_a_supervision_session_in_9999_is_refused_on_the_form(client, hv, specialist, lead):
    client.force_login(lead)
    response = client.post(
        "/team/supervision/record/",
        {
            "supervisee": hv.pk,
            "supervisor": specialist.pk,
            "date_day": "31",
            "date_month": "12",
            "date_year": "9999",
            "kind": "reflective",
            "duration_minutes": 60,
        },
    )
    assert response.status_code == 200
    assert "Date of the supervision session must be today or in the past" in response.content.decode()
    assert not SupervisionSession.objects.exists()


def test_training_completed_in_9999_is_refused(lead, hv):
    with pytest.raises(ValidationError) as error:
        referral_services.record_training(
            by=lead, practitioner=hv, course="perinatal_mh_champion", completed_on=dt.date(9999, 12, 31)
        )
    assert "must be today or in the past" in _field_error(error.value, "completed_on")
    assert not TrainingRecord.objects.exists()


def test_specialist_involvement_starting_in_9999_is_refused(hv, specialist, family_a):
    with pytest.raises(ValidationError) as error:
        referral_services.add_specialist_involvement(
            by=hv, family=family_a, specialist=specialist, kind="consultation", started=dt.date(9999, 1, 1)
        )
    assert "Start of the involvement must be on or before" in _field_error(error.value, "started")


def test_an_overlong_flag_action_or_override_reason_is_refused(hv, family_a):
    mother = family_a.people.get(role="birthing_parent")
    flag = screening_services.raise_flag(by=hv, family=family_a, person=mother, reason="other")
    with pytest.raises(ValidationError) as error:
        screening_services.close_flag(by=hv, flag=flag, action_taken="x" * (bounds.REASON_MAX + 1))
    assert "The action taken must be 1,000 characters or fewer" in _field_error(error.value, "action_taken")
    screen = screening_services.record_screen(
        by=hv, family=family_a, person=mother, instrument="whooley", answers=[1, 1]
    )
    with pytest.raises(ValidationError) as error:
        screening_services.decide_suggestion(
            by=hv, suggestion=screen.suggestions.get(), accept=False, reason="x" * (bounds.REASON_MAX + 1)
        )
    assert "The reason must be 1,000 characters or fewer" in _field_error(error.value, "reason")


@pytest.mark.parametrize("reason", ["..........  ok", "!!!!!!!!!!!!!!!!!!!!", "a b c d e f g h i", ""])
def test_a_break_glass_reason_needs_ten_letters_or_digits(colleague_b, family_a, reason):
    with pytest.raises(ValidationError) as error:
        family_services.grant_break_glass(by=colleague_b, family=family_a, reason=reason)
    assert "at least 10 letters or numbers" in _field_error(error.value, "reason")
    assert not colleague_b.break_glass.exists()


def test_a_break_glass_reason_of_ten_letters_is_enough(colleague_b, family_a):
    access = family_services.grant_break_glass(by=colleague_b, family=family_a, reason="Safeguards!")
    assert access.reason == "Safeguards!"


def test_the_database_refuses_overlong_text_written_around_the_services(hv, family_a):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Contact.objects.create(
            family=family_a,
            contact_type="additional",
            date=timezone.localdate(),
            practitioner=hv,
            notes="x" * (bounds.NOTES_MAX + 1),
        )
