"""After recording a contact the practitioner goes back to the family, by way of a prompt to screen
each parent present when the contact is one where screening is offered (defect 2 of issue 10)."""

from __future__ import annotations

import pytest

from pimh.contacts.models import Contact
from pimh.screening import pathway
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
    assert f"/families/{family.pk}/screens/add/?person={mother.pk}&amp;contact={contact.pk}" in page
    assert f"/families/{family.pk}/screens/add/?person={partner.pk}&amp;contact={contact.pk}" in page
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
