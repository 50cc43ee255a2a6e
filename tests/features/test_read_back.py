"""Free text is read back (issue 10, defect 1): every contact, screen, flag and observation has a page."""

from __future__ import annotations

from django.utils import timezone

from pimh.contacts import services as contact_services
from pimh.core.models import AuditEvent
from pimh.screening import services as screening_services
from pimh.screening.models import Judgement, Observation

TODAY = timezone.localdate()


def _contact(hv, family, **extra):
    father = family.people.get(role="father")
    mother = family.people.get(role="birthing_parent")
    data = contact_services.ContactData(
        contact_type="additional",
        date=TODAY,
        present_ids=(mother.pk, father.pk),
        others_present="Maternal grandmother",
        notes="Father attended.\nDiscussed sleep and feeding.",
        **extra,
    )
    return contact_services.record_contact(by=hv, family=family, data=data)


def test_contact_page_shows_notes_who_was_present_and_who_recorded_it(client, hv, family_a):
    contact = _contact(hv, family_a)
    father = family_a.people.get(role="father")
    client.force_login(hv)
    page = client.get(f"/contacts/{contact.pk}/").content.decode()
    assert "Discussed sleep and feeding." in page
    assert father.full_name in page
    assert "Maternal grandmother" in page
    assert hv.display_name in page


def test_contact_page_is_an_audited_read_of_that_contact(client, hv, family_a):
    contact = _contact(hv, family_a)
    client.force_login(hv)
    client.get(f"/contacts/{contact.pk}/")
    events = AuditEvent.objects.filter(user=hv, action="read", object_id=str(contact.pk))
    assert [e.family_id for e in events] == [family_a.pk]


def test_contact_page_of_another_team_is_not_found(client, colleague_b, hv, family_a):
    contact = _contact(hv, family_a)
    client.force_login(colleague_b)
    assert client.get(f"/contacts/{contact.pk}/").status_code == 404


def test_family_timeline_links_each_contact_to_its_page(client, hv, family_a):
    contact = _contact(hv, family_a)
    client.force_login(hv)
    page = client.get(f"/families/{family_a.pk}/").content.decode()
    assert f'href="/contacts/{contact.pk}/"' in page


def test_flag_page_shows_the_action_taken_with_who_and_when(client, hv, family_a):
    mother = family_a.people.get(role="birthing_parent")
    flag = screening_services.raise_flag(by=hv, family=family_a, person=mother, reason="self_harm_thoughts")
    screening_services.close_flag(by=hv, flag=flag, action_taken="Rang the crisis team; GP seeing her today")
    client.force_login(hv)
    page = client.get(f"/flags/{flag.pk}/").content.decode()
    assert "Rang the crisis team; GP seeing her today" in page
    assert f"Cleared</strong> {flag.get_reason_display()}" in page
    assert hv.display_name in page


def test_timeline_shows_the_action_taken_on_a_cleared_flag(client, hv, family_a):
    mother = family_a.people.get(role="birthing_parent")
    flag = screening_services.raise_flag(by=hv, family=family_a, person=mother, reason="self_harm_thoughts")
    screening_services.close_flag(by=hv, flag=flag, action_taken="Safety plan agreed")
    client.force_login(hv)
    page = client.get(f"/families/{family_a.pk}/").content.decode()
    assert "Action taken: Safety plan agreed" in page
    assert f'href="/flags/{flag.pk}/"' in page


def test_relationship_page_shows_notes_observations_and_recorder(client, hv, family_a):
    contact = _contact(hv, family_a)
    observation = screening_services.record_relationship(
        by=hv,
        family=family_a,
        parent=family_a.people.get(role="birthing_parent"),
        infant=family_a.people.get(role="infant"),
        judgement=Judgement.SOME_CONCERN,
        observations=[Observation.LITTLE_INTERACTION],
        notes="Mother looked away when the baby cried",
        contact=contact,
    )
    client.force_login(hv)
    page = client.get(f"/relationship/{observation.pk}/").content.decode()
    assert "Mother looked away when the baby cried" in page
    assert Observation.LITTLE_INTERACTION.label in page
    assert "Some concern" in page
    assert f'href="/contacts/{contact.pk}/"' in page
    contact_page = client.get(f"/contacts/{contact.pk}/").content.decode()
    assert f'href="/relationship/{observation.pk}/"' in contact_page


def test_relationship_observation_is_on_the_family_timeline(client, hv, family_a):
    observation = screening_services.record_relationship(
        by=hv,
        family=family_a,
        parent=family_a.people.get(role="birthing_parent"),
        infant=family_a.people.get(role="infant"),
        judgement=Judgement.NO_CONCERN,
    )
    client.force_login(hv)
    page = client.get(f"/families/{family_a.pk}/").content.decode()
    assert f'href="/relationship/{observation.pk}/"' in page


def test_screen_page_says_who_recorded_it(client, hv, family_a):
    mother = family_a.people.get(role="birthing_parent")
    screen = screening_services.record_screen(by=hv, family=family_a, person=mother, instrument="gad2", answers=[0, 0])
    client.force_login(hv)
    page = client.get(f"/screens/{screen.pk}/").content.decode()
    assert f"by {hv.display_name}" in page
