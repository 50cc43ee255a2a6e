"""Screening services: storage, suggestions, urgent flags, decisions, relationship observations."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pimh.contacts.models import Task
from pimh.core.models import AuditEvent
from pimh.families.models import PersonRole
from pimh.screening import services
from pimh.screening.models import Decision, FlagStatus, Screen, Suggestion, UrgentFlag


def person(family, role):
    return family.people.get(role=role)


@pytest.fixture
def mother(family_a):
    return person(family_a, PersonRole.BIRTHING_PARENT)


@pytest.fixture
def father(family_a):
    return person(family_a, PersonRole.FATHER)


@pytest.fixture
def infant(family_a):
    return person(family_a, PersonRole.INFANT)


def test_complete_screen_stores_scores_and_versions(hv, family_a, mother):
    screen = services.record_screen(by=hv, family=family_a, person=mother, instrument="gad7", answers=[1] * 7)
    screen.refresh_from_db()
    assert (screen.total, screen.band, screen.positive, screen.risk_item_flag) == (7, "mild", False, False)
    assert screen.instrument_version == "1"
    assert screen.thresholds_version == "default-2"
    assert screen.answers == [1] * 7
    assert screen.item_scores == [1] * 7
    assert screen.missing_items == []


def test_incomplete_screen_has_no_total_and_lists_missing_items(hv, family_a, mother):
    screen = services.record_screen(
        by=hv, family=family_a, person=mother, instrument="phq9", answers=[1, None, 1, 1, None, 1, 1, 1, 0]
    )
    assert screen.total is None
    assert screen.positive is None
    assert screen.band == ""
    assert screen.missing_items == [2, 5]
    assert screen.risk_item_flag is False
    assert not screen.suggestions.exists()


def test_positive_whooley_suggests_full_assessment(hv, family_a, mother):
    screen = services.record_screen(by=hv, family=family_a, person=mother, instrument="whooley", answers=[1, 0])
    (suggestion,) = screen.suggestions.all()
    assert suggestion.kind == "full_assessment"
    assert suggestion.decision == Decision.PENDING
    assert suggestion.rule_id == "full-assessment"


def test_father_is_screened_as_easily_as_mother(hv, family_a, father):
    screen = services.record_screen(by=hv, family=family_a, person=father, instrument="gad2", answers=[2, 1])
    assert screen.positive is True
    assert screen.suggestions.get().kind == "full_assessment"


def test_infant_cannot_be_screened(hv, family_a, infant):
    with pytest.raises(ValidationError):
        services.record_screen(by=hv, family=family_a, person=infant, instrument="whooley", answers=[1, 0])


def test_person_of_another_family_cannot_be_screened(hv, family_a, family_b):
    other = person(family_b, PersonRole.BIRTHING_PARENT)
    with pytest.raises(ValidationError):
        services.record_screen(by=hv, family=family_a, person=other, instrument="whooley", answers=[1, 0])


def test_wrong_answers_are_a_validation_error(hv, family_a, mother):
    with pytest.raises(ValidationError):
        services.record_screen(by=hv, family=family_a, person=mother, instrument="gad2", answers=[1])
    with pytest.raises(ValidationError):
        services.record_screen(by=hv, family=family_a, person=mother, instrument="nope", answers=[1])
    assert not Screen.objects.exists()


def test_risk_item_raises_flag_and_same_day_urgent_task(hv, family_a, mother):
    screen = services.record_screen(by=hv, family=family_a, person=mother, instrument="phq9", answers=[0] * 8 + [1])
    flag = UrgentFlag.objects.get()
    assert flag.screen == screen
    assert flag.reason == "risk_item"
    assert flag.emergency is False
    assert flag.status == FlagStatus.OPEN
    task = flag.task
    assert task.urgent and task.kind == "urgent_action"
    assert task.due_by == timezone.localdate()
    assert task.person == mother
    assert task.assigned_to == hv


def test_epds_item_10_raises_flag(hv, family_a, mother):
    # Item 10 is reverse-scored: position 2 scores 1.
    services.record_screen(
        by=hv, family=family_a, person=mother, instrument="epds", answers=[0, 0, 3, 0, 3, 3, 3, 3, 3, 2]
    )
    assert UrgentFlag.objects.get().reason == "risk_item"


def test_flag_cannot_close_without_action(hv, family_a, mother):
    flag = services.raise_flag(by=hv, family=family_a, person=mother, reason="change_in_mental_state")
    with pytest.raises(ValidationError):
        services.close_flag(by=hv, flag=flag, action_taken="   ")
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN
    assert flag.task.is_open


def test_postpartum_psychosis_is_an_emergency(hv, family_a, mother):
    flag = services.raise_flag(by=hv, family=family_a, person=mother, reason="suspected_postpartum_psychosis")
    assert flag.emergency is True
    assert "4 hours" in flag.task.title


def test_whole_lifecycle_is_audited(hv, family_a, mother):
    screen = services.record_screen(
        by=hv, family=family_a, person=mother, instrument="phq9", answers=[2] * 8 + [1], concern=True
    )
    flag = UrgentFlag.objects.get()
    services.close_flag(by=hv, flag=flag, action_taken="Discussed with GP; crisis team assessment today")
    flag.refresh_from_db()
    assert flag.status == FlagStatus.CLOSED
    assert flag.action_by == hv and flag.action_at is not None
    flag.task.refresh_from_db()
    assert flag.task.status == "completed"
    suggestion = screen.suggestions.get(rule_id="full-assessment")
    services.decide_suggestion(by=hv, suggestion=suggestion, accept=True)
    types = list(AuditEvent.objects.filter(family_id=family_a.pk).values_list("object_type", "action"))
    for expected in [
        ("screening.Screen", "create"),
        ("screening.Suggestion", "create"),
        ("screening.Suggestion", "update"),
        ("screening.UrgentFlag", "create"),
        ("screening.UrgentFlag", "update"),
        ("contacts.Task", "create"),
        ("contacts.Task", "update"),
    ]:
        assert expected in types
    # Audit detail holds codes and numbers only.
    assert not any("Discussed" in str(d) for d in AuditEvent.objects.values_list("detail", flat=True))


def test_accepting_a_suggestion_creates_a_full_assessment_task_within_14_days(hv, family_a, mother):
    screen = services.record_screen(by=hv, family=family_a, person=mother, instrument="whooley", answers=[1, 1])
    suggestion = services.decide_suggestion(by=hv, suggestion=screen.suggestions.get(), accept=True)
    assert suggestion.decision == Decision.ACCEPTED
    assert suggestion.task.kind == "full_assessment"
    assert suggestion.task.due_by == timezone.localdate() + dt.timedelta(days=14)
    with pytest.raises(ValidationError):
        services.decide_suggestion(by=hv, suggestion=suggestion, accept=False, reason="changed my mind")


def test_override_needs_a_reason_and_creates_no_task(hv, family_a, mother):
    screen = services.record_screen(by=hv, family=family_a, person=mother, instrument="whooley", answers=[1, 1])
    suggestion = screen.suggestions.get()
    with pytest.raises(ValidationError):
        services.decide_suggestion(by=hv, suggestion=suggestion, accept=False, reason=" ")
    decided = services.decide_suggestion(
        by=hv, suggestion=suggestion, accept=False, reason="Already under perinatal mental health team"
    )
    assert decided.decision == Decision.OVERRIDDEN
    assert decided.task is None
    assert Suggestion.objects.get().override_reason == "Already under perinatal mental health team"
    assert not Task.objects.filter(kind="full_assessment").exists()


@pytest.mark.parametrize(("judgement", "tasks"), [("no_concern", 0), ("some_concern", 1), ("significant_concern", 1)])
def test_relationship_concern_creates_follow_up(hv, family_a, father, infant, judgement, tasks):
    record = services.record_relationship(
        by=hv, family=family_a, parent=father, infant=infant, judgement=judgement, observations=["little_interaction"]
    )
    assert Task.objects.filter(kind="relationship_follow_up").count() == tasks
    assert (record.task is not None) == bool(tasks)


def test_relationship_rejects_unknown_observation(hv, family_a, mother, infant):
    with pytest.raises(ValidationError):
        services.record_relationship(
            by=hv, family=family_a, parent=mother, infant=infant, judgement="no_concern", observations=["nope"]
        )
