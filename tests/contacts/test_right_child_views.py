"""The right child and the right task through the pages: twins, contacts that do not count, urgent rows."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from pimh.contacts.models import Contact
from pimh.screening import services as screening_services
from tests.conftest import FROZEN_TODAY, make_family
from tests.contacts.twins import make_twins

TODAY = FROZEN_TODAY
NOT_COUNTED = "Recorded; does not count as the new birth visit for the national metric"


@pytest.fixture(autouse=True)
def _clock(frozen_clock):
    return frozen_clock


@pytest.fixture
def twins(hv, team_a):
    return make_twins(by=hv, team=team_a)


def post(family, *, subject="", covers=(), **overrides):
    mother = family.people.get(role="birthing_parent")
    data = {
        "contact_type": "new_birth_visit",
        "subject_id": str(subject),
        "date_day": str(TODAY.day),
        "date_month": str(TODAY.month),
        "date_year": str(TODAY.year),
        "time": "",
        "mode": "face_to_face",
        "location": "home",
        "present_ids": [str(mother.pk)],
        "covers_ids": [str(pk) for pk in covers],
        "others_present": "",
        "attendance": "attended",
        "notes": "",
    }
    data.update(overrides)
    return data


def checked(page: str, name: str) -> set[str]:
    return set(re.findall(rf'name="{name}" type="checkbox" value="(\d+)" checked', page))


def subject_select(page: str) -> str:
    return re.search(r'<select[^>]*name="subject_id".*?</select>', page, re.S).group(0)


def test_the_task_page_asks_which_children_a_whole_family_visit_covers(client, hv, twins):
    _, ada, bo = twins
    client.force_login(hv)
    page = client.get(f"/tasks/{ada.tasks.get(kind='new_birth_visit').pk}/contact/").content.decode()
    assert "Which children the contact covers (if about the whole family)" in page
    assert checked(page, "covers_ids") == {str(ada.pk), str(bo.pk)}
    assert "selected" not in subject_select(page)  # the first option, "The whole family", is shown


def test_for_one_child_the_task_page_is_about_that_child(client, hv, team_a):
    family = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=12)
    infant = family.people.get(role="infant")
    client.force_login(hv)
    page = client.get(f"/tasks/{infant.tasks.get(kind='new_birth_visit').pk}/contact/").content.decode()
    assert f'value="{infant.pk}" selected' in subject_select(page)
    assert checked(page, "covers_ids") == {str(infant.pk)}


def test_the_default_for_twins_asks_whether_the_visit_was_for_one_twin_or_both(client, hv, twins):
    family, ada, bo = twins
    client.force_login(hv)
    task = ada.tasks.get(kind="new_birth_visit")
    response = client.post(f"/tasks/{task.pk}/contact/", post(family, subject=ada.pk, covers=(ada.pk, bo.pk)))
    assert re.search(r'href="#id_covers_ids"\s*>\s*The contact is about one person', response.content.decode())
    assert not Contact.objects.exists()


def test_a_whole_family_visit_from_twin_as_task_completes_both(client, hv, twins):
    family, ada, bo = twins
    client.force_login(hv)
    task = ada.tasks.get(kind="new_birth_visit")
    response = client.post(f"/tasks/{task.pk}/contact/", post(family, covers=(ada.pk, bo.pk)), follow=True)
    contact = family.contacts.get()
    assert response.redirect_chain == [(f"/contacts/{contact.pk}/recorded/", 302)]
    page = response.content.decode()
    assert "Completed: New birth visit for Ada" in page
    assert "Completed: New birth visit for Bo" in page
    assert set(family.tasks.filter(kind="new_birth_visit").values_list("status", flat=True)) == {"completed"}


def test_a_contact_for_twin_b_from_twin_as_task_is_refused_with_a_field_error(client, hv, twins):
    family, ada, bo = twins
    client.force_login(hv)
    task = ada.tasks.get(kind="new_birth_visit")
    response = client.post(f"/tasks/{task.pk}/contact/", post(family, subject=bo.pk))
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert re.search(rf'href="#id_subject_id"\s*>\s*This task is for {ada.full_name}:', page)
    assert not Contact.objects.exists()
    assert set(family.tasks.filter(kind="new_birth_visit").values_list("status", flat=True)) == {"due"}


def test_a_telephone_new_birth_visit_is_recorded_with_the_message_and_the_task_stays_on_my_work(client, hv, twins):
    family, ada, _ = twins
    client.force_login(hv)
    task = ada.tasks.get(kind="new_birth_visit")
    response = client.post(f"/tasks/{task.pk}/contact/", post(family, subject=ada.pk, mode="telephone"), follow=True)
    page = response.content.decode()
    assert f"{NOT_COUNTED}. The task New birth visit for Ada stays open." in page
    assert f"/tasks/{task.pk}/contact/" in client.get("/work/").content.decode()
    task.refresh_from_db()
    assert task.status == "due"
    assert Contact.objects.get().mode == "telephone"


@pytest.fixture
def emergency(hv, twins):
    family, _, _ = twins
    mother = family.people.get(role="birthing_parent")
    return screening_services.raise_flag(by=hv, family=family, person=mother, reason="suspected_postpartum_psychosis")


def test_my_work_offers_record_action_taken_with_the_4_hour_deadline(client, hv, emergency):
    client.force_login(hv)
    page = client.get("/work/").content.decode()
    raised = timezone.localtime(emergency.raised_at)
    deadline = timezone.localtime(emergency.deadline)
    assert f'href="/flags/{emergency.pk}/close/">Record action taken' in page
    assert f"/tasks/{emergency.task_id}/cancel/" not in page
    assert f"/tasks/{emergency.task_id}/contact/" not in page
    assert (
        f"Raised {raised:%d %b %Y %H:%M}. Specialist assessment by <strong>{deadline:%d %b %Y %H:%M}</strong> "
        "(4-hour standard)." in page
    )
    assert '<strong class="nhsuk-tag nhsuk-tag--red">Urgent</strong>' in page


@pytest.mark.parametrize("url", ["/tasks/{}/cancel/", "/tasks/{}/contact/"])
def test_the_urgent_task_cannot_be_cancelled_or_completed_from_its_pages(client, hv, emergency, url):
    client.force_login(hv)
    response = client.post(url.format(emergency.task_id), {"reason": "Seen", "contact_type": "additional"})
    assert (response.status_code, response["Location"]) == (302, f"/flags/{emergency.pk}/close/")
    emergency.task.refresh_from_db()
    assert emergency.task.status == "due"
    assert not Contact.objects.exists()


def test_the_family_record_links_the_urgent_task_to_its_flag(client, hv, twins, emergency):
    family, _, _ = twins
    client.force_login(hv)
    page = client.get(f"/families/{family.pk}/").content.decode()
    assert f'href="/flags/{emergency.pk}/close/">Record action taken<span class="nhsuk-u-visually-hidden"> for' in page
    assert f"/tasks/{emergency.task_id}/contact/" not in page
