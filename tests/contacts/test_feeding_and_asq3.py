"""Recording infant feeding and ASQ-3 on contacts: service checks, the contact form, the read-back page."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from pimh.contacts import services
from pimh.contacts.models import Contact
from tests.conftest import FROZEN_TODAY, make_family

TODAY = FROZEN_TODAY
SCORES = {"communication": 30, "gross_motor": 35, "fine_motor": 60, "problem_solving": 0, "personal_social": 25}


@pytest.fixture(autouse=True)
def _clock(frozen_clock):
    return frozen_clock


def review(family, contact_type: str, **extra) -> services.ContactData:
    infant = family.people.get(role="infant")
    present = tuple(family.people.values_list("pk", flat=True))
    return services.ContactData(
        contact_type=contact_type, date=TODAY, subject_id=infant.pk, present_ids=present, **extra
    )


def asq(**overrides):
    values = {"asq3_used": True, "asq3_interval_months": 27, "asq3_scores": tuple(SCORES.items())}
    values.update(overrides)
    return values


@pytest.fixture
def toddler(hv, team_a):
    return make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=820)


@pytest.fixture
def baby(hv, team_a):
    return make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=50)


def test_feeding_is_recorded_at_the_six_to_eight_week_review(hv, baby):
    contact = services.record_contact(by=hv, family=baby, data=review(baby, "six_to_eight_week", feeding_status="02"))
    contact.refresh_from_db()
    assert (contact.feeding_status, contact.get_feeding_status_display()) == ("02", "Partially breastfed")


def test_asq3_scores_are_recorded_with_their_bands(hv, toddler):
    contact = services.record_contact(by=hv, family=toddler, data=review(toddler, "two_to_two_and_half_year", **asq()))
    contact.refresh_from_db()
    assert (contact.asq3_used, contact.asq3_interval_months, contact.asq3_scores) == (True, 27, SCORES)
    # 27 months cut-offs: communication 24.02, gross motor 28.01, fine motor 18.42, problem solving 27.62,
    # personal-social 25.31.
    assert contact.asq3_bands == [
        ("communication", 30, "at_or_above"),
        ("gross_motor", 35, "at_or_above"),
        ("fine_motor", 60, "at_or_above"),
        ("problem_solving", 0, "below"),
        ("personal_social", 25, "below"),
    ]


@pytest.mark.parametrize(
    ("kind", "extra", "field", "message"),
    [
        ("twelve_month", {"feeding_status": "01"}, "feeding_status", "only at the new birth visit and 6 to 8 week"),
        ("new_birth_visit", {"feeding_status": "04"}, "feeding_status", "Choose totally, partially or not breastfed"),
        ("new_birth_visit", asq(), "asq3_used", "only at the 12-month and 2 to 2½ year reviews"),
        ("two_to_two_and_half_year", asq(asq3_interval_months=12), "asq3_interval_months", "24, 27, 30 months"),
        ("two_to_two_and_half_year", asq(asq3_interval_months=None), "asq3_interval_months", "interval used"),
        ("two_to_two_and_half_year", asq(asq3_scores=(("communication", 33),)), "asq3_communication", "multiple of 5"),
        ("two_to_two_and_half_year", asq(asq3_scores=(("gross_motor", 65),)), "asq3_gross_motor", "from 0 to 60"),
        ("two_to_two_and_half_year", asq(asq3_used=False), "asq3_used", "Tick 'ASQ-3 used'"),
    ],
)
def test_bad_measures_are_refused_and_nothing_is_saved(hv, toddler, kind, extra, field, message):
    with pytest.raises(ValidationError) as refused:
        services.record_contact(by=hv, family=toddler, data=review(toddler, kind, **extra))
    assert message in " ".join(refused.value.message_dict[field])
    assert Contact.objects.filter(family=toddler).count() == 0


def test_measures_need_an_attended_contact(hv, baby):
    data = review(baby, "new_birth_visit", feeding_status="01")
    data = services.ContactData(**{**data.__dict__, "attendance": "dna", "present_ids": ()})
    with pytest.raises(ValidationError) as refused:
        services.record_contact(by=hv, family=baby, data=data)
    assert refused.value.message_dict["feeding_status"] == ["Infant feeding is recorded only at an attended contact"]


def post_data(family, contact_type: str, **overrides) -> dict:
    infant = family.people.get(role="infant")
    data = {
        "contact_type": contact_type,
        "subject_id": str(infant.pk),
        "date_day": str(TODAY.day),
        "date_month": str(TODAY.month),
        "date_year": str(TODAY.year),
        "mode": "face_to_face",
        "location": "home",
        "present_ids": [str(infant.pk)],
        "attendance": "attended",
    }
    data.update(overrides)
    return data


def test_the_task_form_shows_only_the_section_for_its_contact_type(client, hv, baby, toddler):
    client.force_login(hv)
    eight_week = baby.tasks.get(kind="six_to_eight_week")
    page = client.get(f"/tasks/{eight_week.pk}/contact/").content.decode()
    assert ("Infant feeding" in page, "ASQ-3 used" in page) == (True, False)
    two_year = toddler.tasks.get(kind="two_to_two_and_half_year")
    page = client.get(f"/tasks/{two_year.pk}/contact/").content.decode()
    assert ("Infant feeding" in page, "ASQ-3 used" in page) == (False, True)


def test_record_asq3_on_the_form_and_read_it_back(client, hv, toddler):
    client.force_login(hv)
    task = toddler.tasks.get(kind="two_to_two_and_half_year")
    scores = {f"asq3_{domain}": str(score) for domain, score in SCORES.items()}
    data = post_data(toddler, "two_to_two_and_half_year", asq3_used="on", asq3_interval_months="27", **scores)
    assert client.post(f"/tasks/{task.pk}/contact/", data).status_code == 302
    contact = Contact.objects.get(family=toddler)
    page = client.get(f"/contacts/{contact.pk}/").content.decode()
    assert "ASQ-3 used: 27 month questionnaire." in page
    assert page.count("At or above the cut-off") == 3
    assert page.count("Below the cut-off") == 2
    assert "Consultation mechanism 01, attendance status 5" in page


def test_a_bad_score_on_the_form_is_shown_and_nothing_is_saved(client, hv, toddler):
    client.force_login(hv)
    task = toddler.tasks.get(kind="two_to_two_and_half_year")
    data = post_data(
        toddler, "two_to_two_and_half_year", asq3_used="on", asq3_interval_months="24", asq3_fine_motor="42"
    )
    page = client.post(f"/tasks/{task.pk}/contact/", data).content.decode()
    assert "An ASQ-3 domain score is a multiple of 5" in page
    assert Contact.objects.filter(family=toddler).count() == 0


def test_record_feeding_from_the_family_record_and_read_it_back(client, hv, baby):
    client.force_login(hv)
    form = client.get(f"/families/{baby.pk}/contacts/add/").content.decode()
    assert ("Infant feeding" in form, "ASQ-3 used" in form) == (True, True)  # the type is still to choose
    data = post_data(baby, "six_to_eight_week", feeding_status="01")
    assert client.post(f"/families/{baby.pk}/contacts/add/", data).status_code == 302
    contact = Contact.objects.get(family=baby)
    assert contact.feeding_status == "01"
    page = client.get(f"/contacts/{contact.pk}/").content.decode()
    assert "Totally breastfed (CSDS 01)" in page


def test_the_csds_codes_of_mechanism_and_attendance(hv, baby):
    data = review(baby, "additional")
    data = services.ContactData(**{**data.__dict__, "mode": "video", "attendance": "dna", "present_ids": ()})
    contact = services.record_contact(by=hv, family=baby, data=data)
    assert (contact.csds_mechanism, contact.csds_attendance) == ("11", "3")
