"""After recording a contact the practitioner goes back to the family, by way of a prompt to screen
each parent present when the contact is one where screening is offered (defect 2 of issue 10)."""

from __future__ import annotations

import pytest

from pimh.contacts.models import Contact
from pimh.screening import pathway
from pimh.screening import services as screening_services
from pimh.screening.models import Decision
from tests.conftest import make_family
from tests.contacts.test_views import contact_post


@pytest.mark.parametrize(
    ("contact_type", "offered"),
    [
        ("antenatal", True),
        ("new_birth_visit", True),
        ("six_to_eight_week", True),
        ("twelve_month", True),
        ("two_to_two_and_half_year", False),
        ("three_to_four_month", False),
        ("additional", False),
        ("listening_visit", False),
    ],
)
def test_screening_is_offered_at_antenatal_new_birth_6_to_8_week_and_12_month_contacts(contact_type, offered):
    assert pathway.screening_offered(contact_type) is offered


@pytest.fixture
def family(hv, team_a):
    return make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=12)


def test_a_new_birth_visit_prompts_to_screen_each_parent_present(client, hv, family):
    client.force_login(hv)
    mother = family.people.get(role="birthing_parent")
    partner = family.people.get(role="father")
    infant = family.people.get(role="infant")
    task = family.tasks.get(kind="new_birth_visit")
    data = contact_post(family, present_ids=[str(infant.pk), str(mother.pk), str(partner.pk)])
    response = client.post(f"/tasks/{task.pk}/contact/", data, follow=True)
    contact = Contact.objects.get(family=family)
    page = response.content.decode()
    assert response.redirect_chain == [(f"/contacts/{contact.pk}/recorded/", 302)]
    # Each link opens the Whooley questions for that parent, filled in and tied to this contact.
    assert (
        f"/families/{family.pk}/screens/add/?person={mother.pk}&amp;instrument=whooley&amp;contact={contact.pk}" in page
    )
    assert (
        f"/families/{family.pk}/screens/add/?person={partner.pk}&amp;instrument=whooley&amp;contact={contact.pk}"
        in page
    )
    assert f"?person={infant.pk}&amp;" not in page
    assert (f'href="/families/{family.pk}/"' in page, "Contact recorded: " in page) == (True, True)


def test_a_contact_without_screening_goes_back_to_the_family_record(client, hv, family):
    client.force_login(hv)
    data = contact_post(family, contact_type="additional", subject_id="")
    response = client.post(f"/families/{family.pk}/contacts/add/", data, follow=True)
    assert response.redirect_chain == [(f"/families/{family.pk}/", 302)]
    assert "Additional contact recorded" in response.content.decode()


def test_a_screening_contact_with_no_parent_present_goes_back_to_the_family_record(client, hv, family):
    client.force_login(hv)
    infant = family.people.get(role="infant")
    task = family.tasks.get(kind="new_birth_visit")
    response = client.post(f"/tasks/{task.pk}/contact/", contact_post(family, present_ids=[str(infant.pk)]))
    assert response.headers["Location"] == f"/families/{family.pk}/"


def test_the_prompt_link_opens_the_questionnaire_itself_for_that_parent(client, hv, family):
    client.force_login(hv)
    task = family.tasks.get(kind="new_birth_visit")
    mother = family.people.get(role="birthing_parent")
    client.post(f"/tasks/{task.pk}/contact/", contact_post(family, present_ids=[str(mother.pk)]))
    contact = Contact.objects.get(family=family)
    page = client.get(f"/families/{family.pk}/screens/add/?person={mother.pk}&instrument=whooley&contact={contact.pk}")
    assert (
        "<h1>Whooley questions</h1>" in page.content.decode(),
        "This field is required" in page.content.decode(),
    ) == (
        True,
        False,
    )


def test_the_contact_read_back_shows_who_is_screened_and_links_the_parent_who_is_not(client, hv, family):
    client.force_login(hv)
    task = family.tasks.get(kind="new_birth_visit")
    mother = family.people.get(role="birthing_parent")
    father = family.people.get(role="father")
    client.post(f"/tasks/{task.pk}/contact/", contact_post(family, present_ids=[str(mother.pk), str(father.pk)]))
    contact = Contact.objects.get(family=family)
    screen = screening_services.record_screen(
        by=hv, family=family, person=mother, instrument="whooley", answers=[1, 1], contact=contact
    )
    page = client.get(f"/contacts/{contact.pk}/").content.decode()
    prompt = page.split('id="screen-prompt"', 1)[1].split("</ul>", 1)[0]
    assert f'href="/screens/{screen.pk}/"' in prompt
    assert f"?person={mother.pk}&amp;" not in prompt
    assert f"?person={father.pk}&amp;instrument=whooley&amp;contact={contact.pk}" in prompt


def test_a_contact_where_screening_is_not_offered_has_no_prompt_on_its_read_back(client, hv, family):
    client.force_login(hv)
    mother = family.people.get(role="birthing_parent")
    data = contact_post(family, contact_type="additional", subject_id="", present_ids=[str(mother.pk)])
    client.post(f"/families/{family.pk}/contacts/add/", data)
    contact = Contact.objects.get(family=family)
    assert 'id="screen-prompt"' not in client.get(f"/contacts/{contact.pk}/").content.decode()


def test_a_full_assessment_is_offered_straight_from_a_positive_screen():
    assert pathway.full_assessment_choices("full_assessment") == ["epds", "gad7", "phq9"]
    assert pathway.full_assessment_choices("referral") == []


def test_accept_and_record_now_opens_the_assessment_for_the_same_parent_and_contact(client, hv, family):
    client.force_login(hv)
    task = family.tasks.get(kind="new_birth_visit")
    mother = family.people.get(role="birthing_parent")
    client.post(f"/tasks/{task.pk}/contact/", contact_post(family, present_ids=[str(mother.pk)]))
    contact = Contact.objects.get(family=family)
    whooley = screening_services.record_screen(
        by=hv, family=family, person=mother, instrument="whooley", answers=[1, 1], contact=contact
    )
    suggestion = whooley.suggestions.get()
    assert "Accept and record the PHQ-9 now" in client.get(f"/screens/{whooley.pk}/").content.decode()
    response = client.post(f"/suggestions/{suggestion.pk}/decide/", {"decision": "accept", "then": "phq9"})
    query = f"person={mother.pk}&instrument=phq9&contact={contact.pk}"
    assert response.headers["Location"] == f"/families/{family.pk}/screens/add/?{query}"
    suggestion.refresh_from_db()
    assert (suggestion.decision, suggestion.task.kind) == (Decision.ACCEPTED, "full_assessment")


def test_a_then_that_is_not_a_full_assessment_goes_back_to_the_result(client, hv, family):
    client.force_login(hv)
    mother = family.people.get(role="birthing_parent")
    whooley = screening_services.record_screen(
        by=hv, family=family, person=mother, instrument="whooley", answers=[1, 1]
    )
    suggestion = whooley.suggestions.get()
    response = client.post(f"/suggestions/{suggestion.pk}/decide/", {"decision": "accept", "then": "whooley"})
    assert response.headers["Location"] == f"/screens/{whooley.pk}/"
