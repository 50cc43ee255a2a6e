"""The right child and the right task (issue 8): twins, contacts that do not count, urgent tasks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pimh.contacts import counting, presenters, services
from pimh.contacts.models import Contact, TaskEvent
from pimh.core.models import AuditEvent
from pimh.families import services as family_services
from pimh.families.scope import Scope
from pimh.screening import services as screening_services
from tests.conftest import make_family
from tests.contacts.twins import make_twins

NOT_COUNTED = "Recorded; does not count as the new birth visit for the national metric"


@pytest.fixture
def twins(hv, team_a):
    return make_twins(by=hv, team=team_a)


def nbv_of(person):
    return person.tasks.get(kind="new_birth_visit")


def visit(family, *, subject=None, covers=(), contact_type="new_birth_visit", mode="face_to_face", **extra):
    present = tuple(family.people.values_list("pk", flat=True))
    return services.ContactData(
        contact_type=contact_type,
        date=timezone.localdate(),
        mode=mode,
        subject_id=subject.pk if subject else None,
        covers_ids=tuple(p.pk for p in covers),
        present_ids=present,
        **extra,
    )


def saved():
    return (Contact.objects.count(), TaskEvent.objects.count(), AuditEvent.objects.filter(action="create").count())


def test_twins_born_from_one_pregnancy_each_have_their_own_tasks(twins):
    family, ada, bo = twins
    assert {ada.pregnancy_id, bo.pregnancy_id} == {family.pregnancies.get().pk}
    assert [nbv_of(ada).status, nbv_of(bo).status] == ["due", "due"]


def test_a_whole_family_new_birth_visit_completes_both_twins_tasks(hv, twins):
    family, ada, bo = twins
    contact = services.record_contact(by=hv, family=family, data=visit(family, covers=(ada, bo)), task=nbv_of(ada))
    assert [(nbv_of(ada).status, nbv_of(ada).completed_by), (nbv_of(bo).status, nbv_of(bo).completed_by)] == [
        ("completed", contact),
        ("completed", contact),
    ]
    assert set(contact.covers.all()) == {ada, bo}
    assert contact.subject is None


def test_a_whole_family_new_birth_visit_from_the_family_record_completes_the_chosen_children_only(hv, twins):
    family, ada, bo = twins
    services.record_contact(by=hv, family=family, data=visit(family, covers=(bo,)))
    assert [nbv_of(ada).status, nbv_of(bo).status] == ["due", "completed"]


def test_a_whole_family_review_must_say_which_children_it_covers(hv, twins):
    family, ada, bo = twins
    before = saved()
    with pytest.raises(ValidationError) as error:
        services.record_contact(by=hv, family=family, data=visit(family))
    assert error.value.message_dict == {"covers_ids": ["Choose which children the new birth visit covers"]}
    assert saved() == before
    assert [nbv_of(ada).status, nbv_of(bo).status] == ["due", "due"]


def test_a_contact_for_twin_b_from_twin_as_task_is_refused_and_saves_nothing(hv, twins):
    family, ada, bo = twins
    before = saved()
    with pytest.raises(ValidationError) as error:
        services.record_contact(by=hv, family=family, data=visit(family, subject=bo), task=nbv_of(ada))
    assert error.value.message_dict["subject_id"] == [
        f"This task is for {ada.full_name}: record a contact about someone else "
        "from their own task or from the family record"
    ]
    assert saved() == before
    assert [nbv_of(ada).status, nbv_of(bo).status] == ["due", "due"]


def test_a_whole_family_contact_from_twin_as_task_must_cover_twin_a(hv, twins):
    family, ada, bo = twins
    before = saved()
    with pytest.raises(ValidationError) as error:
        services.record_contact(by=hv, family=family, data=visit(family, covers=(bo,)), task=nbv_of(ada))
    assert error.value.message_dict == {
        "covers_ids": [f"This task is for {ada.full_name}: include {ada.full_name} in the children covered"]
    }
    assert saved() == before


def test_a_contact_about_one_twin_with_the_other_ticked_is_refused_not_silently_narrowed(hv, twins):
    family, ada, bo = twins
    before = saved()
    with pytest.raises(ValidationError) as error:
        services.record_contact(
            by=hv, family=family, data=visit(family, subject=ada, covers=(ada, bo)), task=nbv_of(ada)
        )
    assert error.value.message_dict == {
        "covers_ids": [
            "The contact is about one person: choose the whole family to cover more than one child, "
            "or untick the other children"
        ]
    }
    assert saved() == before


def test_a_contact_for_twin_b_from_the_family_record_completes_twin_bs_task_only(hv, twins):
    family, ada, bo = twins
    contact = services.record_contact(by=hv, family=family, data=visit(family, subject=bo))
    assert [nbv_of(ada).status, nbv_of(bo).status] == ["due", "completed"]
    assert nbv_of(bo).completed_by == contact
    assert list(contact.covers.all()) == [bo]


def test_a_review_of_another_type_from_a_childs_task_applies_to_that_childs_review(hv, twins):
    family, ada, bo = twins
    nbv = nbv_of(ada)
    data = visit(family, subject=ada, contact_type="six_to_eight_week")
    contact = services.record_contact(by=hv, family=family, data=data, task=nbv)
    nbv.refresh_from_db()
    review = ada.tasks.get(kind="six_to_eight_week")
    assert (nbv.status, review.status, review.completed_by) == ("due", "completed", contact)
    assert bo.tasks.get(kind="six_to_eight_week").status == "upcoming"


def test_a_review_about_a_parent_is_refused(hv, twins):
    family, _, _ = twins
    mother = family.people.get(role="birthing_parent")
    with pytest.raises(ValidationError) as error:
        services.record_contact(by=hv, family=family, data=visit(family, subject=mother))
    assert error.value.message_dict == {
        "subject_id": ["A new birth visit is about a child: choose the child, or the whole family"]
    }


def test_children_covered_must_be_children_of_this_family(hv, twins, family_b):
    family, _, _ = twins
    stranger = family_b.people.get(role="infant")
    mother = family.people.get(role="birthing_parent")
    for covers in [(stranger,), (mother,)]:
        with pytest.raises(ValidationError) as error:
            services.record_contact(by=hv, family=family, data=visit(family, covers=covers))
        assert error.value.message_dict == {"covers_ids": ["Choose children in this family"]}


def test_an_antenatal_task_is_not_completed_for_another_person(hv, team_a):
    family = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=None)
    mother = family.people.get(role="birthing_parent")
    father = family.people.get(role="father")
    edd = timezone.localdate() + dt.timedelta(weeks=8)
    pregnancy = family_services.add_pregnancy(by=hv, family=family, mother=mother, edd=edd)
    task = pregnancy.tasks.get(kind="antenatal")
    data = visit(family, subject=father, contact_type="antenatal")
    with pytest.raises(ValidationError) as error:
        services.record_contact(by=hv, family=family, data=data, task=task)
    assert error.value.message_dict == {
        "subject_id": ["This task is for a pregnancy: choose the mother, or the whole family"]
    }
    services.record_contact(
        by=hv, family=family, data=visit(family, subject=mother, contact_type="antenatal"), task=task
    )
    task.refresh_from_db()
    assert task.status == "completed"


# ---- a contact that does not count does not close a mandated task ---------------------------------


@pytest.mark.parametrize(
    ("contact_type", "mode"),
    [
        ("additional", "telephone"),
        ("additional", "face_to_face"),
        ("new_birth_visit", "telephone"),
        ("new_birth_visit", "video"),
    ],
)
def test_a_contact_that_does_not_count_leaves_the_new_birth_visit_open(hv, twins, contact_type, mode):
    family, ada, _ = twins
    task = nbv_of(ada)
    data = visit(family, subject=ada, contact_type=contact_type, mode=mode)
    contact = services.record_contact(by=hv, family=family, data=data, task=task)
    task.refresh_from_db()
    assert (task.status, task.completed_by) == ("due", None)
    assert contact.counts_for_metrics is (mode == "face_to_face")
    event = task.events.get(event="attempt")
    assert (event.contact, event.note) == (contact, NOT_COUNTED)
    assert presenters.contact_messages(Scope(hv), contact) == [
        f"{NOT_COUNTED}. The task New birth visit for Ada stays open."
    ]


def test_a_telephone_new_birth_visit_without_an_open_task_still_says_it_does_not_count(hv, twins):
    family, ada, _ = twins
    services.record_contact(by=hv, family=family, data=visit(family, subject=ada))
    contact = services.record_contact(by=hv, family=family, data=visit(family, subject=ada, mode="telephone"))
    assert presenters.contact_messages(Scope(hv), contact) == [NOT_COUNTED]


def test_an_attended_face_to_face_new_birth_visit_completes_it_and_says_so(hv, twins):
    family, ada, _ = twins
    contact = services.record_contact(by=hv, family=family, data=visit(family, subject=ada), task=nbv_of(ada))
    assert presenters.contact_messages(Scope(hv), contact) == ["Completed: New birth visit for Ada"]


# ---- the urgent task follows the flag ---------------------------------------------------------------


@pytest.fixture
def flag(hv, twins):
    family, _, _ = twins
    mother = family.people.get(role="birthing_parent")
    return screening_services.raise_flag(by=hv, family=family, person=mother, reason="suspected_postpartum_psychosis")


def test_an_urgent_task_cannot_be_cancelled_or_completed_while_its_flag_is_open(hv, flag):
    task = flag.task
    for attempt in (
        lambda: services.cancel_task(by=hv, task=task, reason="Seen at home"),
        lambda: services.complete_task(by=hv, task=task, note="Done"),
    ):
        with pytest.raises(ValidationError) as error:
            attempt()
        assert error.value.message_dict == {"task": [services.FLAG_TASK_MESSAGE]}
    task.refresh_from_db()
    assert (task.status, task.cancel_reason, task.completed_by) == ("due", "", None)
    assert list(task.events.values_list("event", flat=True)) == ["created"]


def test_an_ordinary_contact_from_an_urgent_task_is_recorded_and_leaves_it_open(hv, twins, flag):
    family, _, _ = twins
    mother = family.people.get(role="birthing_parent")
    data = visit(family, subject=mother, contact_type="additional")
    contact = services.record_contact(by=hv, family=family, data=data, task=flag.task)
    task = flag.task
    task.refresh_from_db()
    assert task.status == "due"
    assert task.events.get(event="attempt").note == counting.FLAG_OPEN_NOTE
    assert Contact.objects.filter(pk=contact.pk).exists()


def test_recording_the_action_on_the_flag_closes_its_task(hv, twins, flag):
    screening_services.close_flag(by=hv, flag=flag, action_taken="Perinatal team assessed within 3 hours")
    task = flag.task
    task.refresh_from_db()
    assert task.status == "completed"
    assert task.events.get(event="complete").note == "Urgent flag cleared"
    with pytest.raises(ValidationError):
        services.cancel_task(by=hv, task=task, reason="Closed already")


def test_an_emergency_flag_is_due_within_4_hours_and_an_urgent_one_has_no_deadline(hv, twins, flag):
    family, _, _ = twins
    father = family.people.get(role="father")
    urgent = screening_services.raise_flag(by=hv, family=family, person=father, reason="self_harm_thoughts")
    assert flag.deadline - flag.raised_at == dt.timedelta(hours=4)
    assert urgent.deadline is None
