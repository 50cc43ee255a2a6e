"""Screens, observations and the tasks they raise are about the right person (hazard H-023)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pimh.contacts import services as contact_services
from pimh.screening import services
from pimh.screening.models import RelationshipObservation, Screen
from tests.contacts.twins import make_twins


@pytest.fixture
def twins(hv, team_a):
    return make_twins(by=hv, team=team_a)


def test_a_screen_cannot_be_attached_to_another_familys_contact(hv, twins, family_b, colleague_b):
    family, _, _ = twins
    other_mother = family_b.people.get(role="birthing_parent")
    data = contact_services.ContactData(
        contact_type="additional", date=timezone.localdate(), subject_id=other_mother.pk, present_ids=(other_mother.pk,)
    )
    other_contact = contact_services.record_contact(by=colleague_b, family=family_b, data=data)
    mother = family.people.get(role="birthing_parent")
    with pytest.raises(ValidationError) as error:
        services.record_screen(
            by=hv, family=family, person=mother, instrument="whooley", answers=[1, 0], contact=other_contact
        )
    assert error.value.message_dict == {"contact": ["This contact is not with this family"]}
    assert not Screen.objects.exists()


def test_a_relationship_observation_is_about_a_child_of_this_family(hv, twins, family_b):
    family, _, _ = twins
    father = family.people.get(role="father")
    for infant in (family_b.people.get(role="infant"), family.people.get(role="birthing_parent")):
        with pytest.raises(ValidationError) as error:
            services.record_relationship(by=hv, family=family, parent=father, infant=infant, judgement="some_concern")
        assert error.value.message_dict == {"infant": ["Choose a child in this family"]}
    assert not RelationshipObservation.objects.exists()


def test_a_relationship_concern_about_twin_b_raises_twin_bs_follow_up(hv, twins):
    family, _, bo = twins
    father = family.people.get(role="father")
    record = services.record_relationship(by=hv, family=family, parent=father, infant=bo, judgement="some_concern")
    assert (record.task.person, record.task.title.endswith("(Sam and Bo)")) == (bo, True)


def test_a_risk_answer_raises_the_urgent_task_for_the_parent_screened(hv, twins):
    family, _, _ = twins
    father = family.people.get(role="father")
    services.record_screen(by=hv, family=family, person=father, instrument="phq9", answers=[0] * 8 + [1])
    flag = father.urgent_flags.get()
    assert (flag.task.person, flag.task.title.endswith("(Sam)")) == (father, True)
