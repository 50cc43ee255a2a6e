"""A save made from a page that is out of date is refused, naming who changed the record and when."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pimh.contacts import services as contact_services
from pimh.contacts.models import Contact, Task
from pimh.families import services as family_services
from pimh.referrals import services as referral_services
from pimh.referrals.models import Service

CHANGED = r"Changed by Lena Tester at \d\d:\d\d on \d\d \w{3} \d{4}: review and save again"


def _edit_form(person, **changes):
    dob = person.date_of_birth
    data = {
        "role": person.role,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "nhs_number": person.nhs_number or "",
        "date_of_birth_day": dob.day,
        "date_of_birth_month": dob.month,
        "date_of_birth_year": dob.year,
        "sex": person.sex,
        "ethnic_category": person.ethnic_category,
        "version": person.version,
    }
    data.update(changes)
    return data


def test_a_person_edited_by_someone_else_since_the_form_opened_is_not_overwritten(client, hv, lead, family_a):
    person = family_a.people.get(role="birthing_parent")
    client.force_login(hv)
    opened = _edit_form(person, given_name="Alexandra")
    saved_meanwhile = family_services.PersonData(**{**_person_data(person), "given_name": "Alexa"})
    family_services.update_person(by=lead, person=person, data=saved_meanwhile, seen_version=0)

    response = client.post(f"/people/{person.pk}/edit/", opened)
    page = response.content.decode()
    assert response.status_code == 200
    assert re.search(CHANGED, page)
    person.refresh_from_db()
    assert (person.given_name, person.version) == ("Alexa", 1)
    assert 'name="version" value="1"' in page  # reviewed, it can be saved again

    again = client.post(f"/people/{person.pk}/edit/", _edit_form(person, given_name="Alexandra"))
    assert again.status_code == 302
    person.refresh_from_db()
    assert (person.given_name, person.version) == ("Alexandra", 2)


def _person_data(person):
    return {
        "role": person.role,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "nhs_number": person.nhs_number or "",
        "date_of_birth": person.date_of_birth,
        "sex": person.sex,
        "ethnic_category": person.ethnic_category,
    }


def test_the_edit_form_carries_the_version(client, hv, family_a):
    person = family_a.people.get(role="birthing_parent")
    client.force_login(hv)
    assert 'name="version" value="0"' in client.get(f"/people/{person.pk}/edit/").content.decode()


@pytest.fixture
def sent_referral(hv, family_a):
    service = Service.objects.create(name="Perinatal Team", kind="perinatal_mh_team", sees="parent")
    return referral_services.create_and_send(
        by=hv,
        family=family_a,
        person=family_a.people.get(role="birthing_parent"),
        service=service,
        urgency="routine",
        reason_code="depression",
        consent="given",
    )


def test_a_referral_action_from_an_out_of_date_page_is_refused(client, hv, lead, sent_referral):
    client.force_login(hv)
    url = f"/referrals/{sent_referral.pk}/"
    assert 'name="seen_status" value="sent"' in client.get(url).content.decode()
    referral_services.acknowledge(by=lead, referral=sent_referral)

    response = client.post(url, {"event": "withdraw", "seen_status": "sent", "withdraw-reason": "Moved away"})
    assert response.status_code == 200
    assert re.search(CHANGED, response.content.decode())
    sent_referral.refresh_from_db()
    assert sent_referral.status == "acknowledged"


def test_completing_a_task_someone_completed_meanwhile_is_refused(hv, lead, family_a):
    today = timezone.localdate()
    task = contact_services.create_task(
        by=hv, family=family_a, kind="follow_up", title="Follow-up visit", due_from=today, due_by=today
    )
    stale = Task.objects.get(pk=task.pk)
    visit = contact_services.ContactData(
        contact_type="additional", date=today, present_ids=(family_a.people.get(role="birthing_parent").pk,)
    )
    contact_services.record_contact(by=lead, family=family_a, data=visit, task=task)
    with pytest.raises(ValidationError) as error:
        contact_services.record_contact(by=hv, family=family_a, data=visit, task=stale)
    assert re.fullmatch("This task is already completed. " + CHANGED, error.value.message_dict["task"][0])
    assert Contact.objects.filter(family=family_a).count() == 1
