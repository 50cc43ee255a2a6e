"""Clinical safety of screening through the services (issue 8): incomplete questionnaires, unanswered risk
items, configured thresholds (a father's or partner's own cut-off), next steps after a positive full
assessment, and interpreters."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from pimh.contacts.models import Task, TaskKind
from pimh.families.models import PersonRole
from pimh.screening import instruments, services
from pimh.screening.models import Decision, Screen, Suggestion, UrgentFlag
from pimh.screening.thresholds import Thresholds
from tests.screening.test_instruments import answers_for_total


@pytest.fixture
def mother(family_a):
    return family_a.people.get(role=PersonRole.BIRTHING_PARENT)


@pytest.fixture
def father(family_a):
    return family_a.people.get(role=PersonRole.FATHER)


def record(hv, family, person, code, answers, **extra):
    return services.record_screen(by=hv, family=family, person=person, instrument=code, answers=answers, **extra)


def totalling(code, total):
    return answers_for_total(instruments.get(code), total)


def rules(screen):
    return sorted(screen.suggestions.values_list("rule_id", flat=True))


def open_tasks(person, kind):
    return list(Task.objects.filter(person=person, kind=kind, status__in=["upcoming", "due", "overdue"]))


# --- defect 3: incomplete questionnaires -----------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "answers"), [("whooley", [1, None]), ("whooley", [None, 1]), ("gad2", [3, None]), ("phq2", [3, None])]
)
def test_incomplete_screen_already_positive_suggests_full_assessment(hv, family_a, mother, code, answers):
    screen = record(hv, family_a, mother, code, answers)
    assert (screen.positive, screen.total, screen.band) == (True, None, "")
    assert rules(screen) == ["full-assessment"]
    assert open_tasks(mother, TaskKind.COMPLETE_SCREEN) == []


def test_incomplete_epds_reaching_the_cut_off_is_positive_at_least_n(hv, family_a, mother):
    answers = totalling("epds", 14)
    answers[6] = None  # item 7 (scored 0)
    screen = record(hv, family_a, mother, "epds", answers)
    screen.refresh_from_db()
    assert (screen.positive, screen.total, screen.total_at_least, screen.missing_items) == (True, None, 14, [7])
    assert screen.total_label == "At least 14 (incomplete: items 7 not answered)"
    assert screen.result_label.startswith("Positive (incomplete")
    assert rules(screen) == ["listening-visits", "refer", "rescreen"]


@pytest.mark.parametrize(("code", "answers"), [("whooley", [0, None]), ("gad2", [2, None]), ("gad7", [2] + [None] * 6)])
def test_undetermined_screen_raises_a_task_to_complete_it_and_is_never_negative(hv, family_a, mother, code, answers):
    screen = record(hv, family_a, mother, code, answers)
    assert screen.positive is None
    assert screen.outcome == "undetermined"
    assert "negative" not in screen.result_label.lower()
    (task,) = open_tasks(mother, TaskKind.COMPLETE_SCREEN)
    assert task.urgent is False
    assert task.due_by == timezone.localdate() + dt.timedelta(days=7)
    assert task.source == f"screen:{screen.pk}:{code}:complete-screen"
    assert task.rule_version == "complete-screen v1"


def test_incomplete_screen_that_cannot_reach_the_cut_off_is_negative_without_a_task(hv, family_a, mother):
    answers = totalling("epds", 0)
    answers[0] = None  # item 1 could add at most 3: 0 + 3 < 13
    screen = record(hv, family_a, mother, "epds", answers)
    assert screen.positive is False
    assert screen.result_label.startswith("Negative (incomplete")
    assert open_tasks(mother, TaskKind.COMPLETE_SCREEN) == []


def test_recording_the_questionnaire_again_completes_the_task_to_complete_it(hv, family_a, mother, father):
    record(hv, family_a, mother, "gad2", [2, None])
    record(hv, family_a, father, "gad2", [2, None])
    record(hv, family_a, mother, "whooley", [0, 0])  # another instrument leaves it open
    assert len(open_tasks(mother, TaskKind.COMPLETE_SCREEN)) == 1
    record(hv, family_a, mother, "gad2", [2, 0])
    assert open_tasks(mother, TaskKind.COMPLETE_SCREEN) == []
    assert len(open_tasks(father, TaskKind.COMPLETE_SCREEN)) == 1


# --- defect 4: unanswered risk item ------------------------------------------------------------


@pytest.mark.parametrize(("code", "item"), [("epds", 10), ("phq9", 9)])
def test_unanswered_risk_item_raises_a_same_day_urgent_task(hv, family_a, mother, code, item):
    answers = totalling(code, 0)
    answers[item - 1] = None
    screen = record(hv, family_a, mother, code, answers)
    assert screen.risk_item_flag is None
    (task,) = open_tasks(mother, TaskKind.COMPLETE_SCREEN)
    assert task.urgent is True
    assert task.due_from == task.due_by == timezone.localdate()
    assert f"item {item}" in task.title
    assert task.assigned_to == hv
    assert not UrgentFlag.objects.exists()  # nothing scored above 0: a prompt to ask, not a red flag


def test_answering_the_risk_item_later_completes_the_prompt(hv, family_a, mother):
    answers = totalling("phq9", 0)
    answers[8] = None
    record(hv, family_a, mother, "phq9", answers)
    record(hv, family_a, mother, "phq9", totalling("phq9", 0))
    assert open_tasks(mother, TaskKind.COMPLETE_SCREEN) == []


# --- defect 5: configured thresholds; a father's or partner's cut-off -----------------------------------


def test_father_epds_10_is_positive_where_mothers_10_is_not(hv, family_a, mother, father):
    answers = totalling("epds", 10)
    hers = record(hv, family_a, mother, "epds", answers)
    his = record(hv, family_a, father, "epds", answers)
    assert (hers.positive, hers.band, hers.cutoff) == (False, "possible depression", 13)
    assert (his.positive, his.band, his.cutoff) == (True, "probable depression", 10)
    assert rules(hers) == []
    assert rules(his) == ["listening-visits", "refer", "rescreen"]


CONFIGURED = [
    # (instrument, total, changed thresholds, rules with the default set, rules with the changed set)
    ("whooley", 1, {"whooley": 2}, ["full-assessment"], []),
    ("gad2", 2, {"gad2": 2}, [], ["full-assessment"]),
    ("phq2", 3, {"phq2": 4}, ["full-assessment"], []),
    ("epds", 12, {"epds": 12}, [], ["listening-visits", "refer", "rescreen"]),
    ("phq9", 9, {"phq9": 9}, [], ["listening-visits", "refer", "rescreen"]),
    ("gad7", 10, {"gad7": 11}, ["listening-visits", "refer", "rescreen"], []),
    ("epds", 18, {"severe": (("epds", 18),)}, ["listening-visits", "refer", "rescreen"], ["severe-referral"]),
    ("phq9", 20, {"severe": (("phq9", 21),)}, ["severe-referral"], ["listening-visits", "refer", "rescreen"]),
]


@pytest.mark.parametrize(("code", "total", "changed", "default_rules", "changed_rules"), CONFIGURED)
def test_the_pathway_follows_each_configured_threshold(
    hv, family_a, mother, code, total, changed, default_rules, changed_rules
):
    answers = totalling(code, total)
    assert rules(record(hv, family_a, mother, code, answers)) == default_rules
    with override_settings(SCREENING_THRESHOLDS=Thresholds(version="trust-test-1", **changed)):
        screen = record(hv, family_a, mother, code, answers)
    assert rules(screen) == changed_rules
    assert screen.thresholds_version == "trust-test-1"


def test_the_pathway_follows_the_configured_father_cut_off(hv, family_a, father):
    answers = totalling("epds", 9)
    assert record(hv, family_a, father, "epds", answers).positive is False
    with override_settings(SCREENING_THRESHOLDS=Thresholds(version="fathers-9", partner=(("epds", 9),))):
        screen = record(hv, family_a, father, "epds", answers)
    assert (screen.positive, screen.cutoff, screen.thresholds_version) == (True, 9, "fathers-9")
    assert rules(screen) == ["listening-visits", "refer", "rescreen"]


def test_the_configured_course_and_rescreen_window_reach_the_tasks(hv, family_a, mother):
    configured = Thresholds(version="short", listening_visits=4, rescreen_from_days=7, rescreen_by_days=21)
    with override_settings(SCREENING_THRESHOLDS=configured):
        screen = record(hv, family_a, mother, "gad7", totalling("gad7", 12))
    listening = screen.suggestions.get(rule_id="listening-visits")
    assert "a course of 4" in listening.text
    rescreen = services.decide_suggestion(by=hv, suggestion=screen.suggestions.get(rule_id="rescreen"), accept=True)
    today = timezone.localdate()
    assert (rescreen.task.due_from, rescreen.task.due_by) == (
        today + dt.timedelta(days=7),
        today + dt.timedelta(days=21),
    )


# --- defect 6: a positive full assessment leads somewhere -------------------------------------------


@pytest.mark.parametrize(("code", "total"), [("epds", 13), ("phq9", 10), ("gad7", 10)])
def test_positive_full_assessment_suggests_listening_visits_or_referral_and_a_rescreen(
    hv, family_a, mother, code, total
):
    screen = record(hv, family_a, mother, code, totalling(code, total))
    assert rules(screen) == ["listening-visits", "refer", "rescreen"]
    assert "a course of 6" in screen.suggestions.get(rule_id="listening-visits").text
    listening = services.decide_suggestion(
        by=hv, suggestion=screen.suggestions.get(rule_id="listening-visits"), accept=True
    )
    assert listening.task.kind == TaskKind.LISTENING_VISITS
    rescreen = services.decide_suggestion(by=hv, suggestion=screen.suggestions.get(rule_id="rescreen"), accept=True)
    today = timezone.localdate()
    assert rescreen.task.kind == TaskKind.RESCREEN
    assert (rescreen.task.due_from, rescreen.task.due_by) == (
        today + dt.timedelta(days=14),
        today + dt.timedelta(days=28),
    )
    refer = services.decide_suggestion(
        by=hv, suggestion=screen.suggestions.get(rule_id="refer"), accept=False, reason="Chose listening visits"
    )
    assert (refer.decision, refer.task) == (Decision.OVERRIDDEN, None)


@pytest.mark.parametrize(("code", "reason"), [("epds", "depression"), ("phq9", "depression")])
def test_severe_score_suggests_an_urgent_referral_that_leads_to_the_form(hv, family_a, mother, code, reason):
    screen = record(hv, family_a, mother, code, totalling(code, 20))
    (suggestion,) = screen.suggestions.all()
    assert (suggestion.rule_id, suggestion.referral_urgency, suggestion.referral_reason) == (
        "severe-referral",
        "urgent",
        reason,
    )
    accepted = services.decide_suggestion(by=hv, suggestion=suggestion, accept=True)
    assert (accepted.decision, accepted.task) == (Decision.ACCEPTED, None)
    assert services.referral_form_query(accepted) == {"person": str(mother.pk), "reason": reason, "urgency": "urgent"}


def test_overriding_a_referral_suggestion_needs_a_reason(hv, family_a, mother):
    screen = record(hv, family_a, mother, "phq9", totalling("phq9", 22))
    suggestion = screen.suggestions.get()
    with pytest.raises(ValidationError):
        services.decide_suggestion(by=hv, suggestion=suggestion, accept=False, reason="  ")
    assert Suggestion.objects.get().decision == Decision.PENDING


@pytest.mark.parametrize("code", ["epds", "phq9", "gad7"])
def test_full_assessment_task_completes_when_the_full_assessment_is_recorded(hv, family_a, mother, father, code):
    for parent in (mother, father):
        whooley = record(hv, family_a, parent, "whooley", [1, 1])
        services.decide_suggestion(by=hv, suggestion=whooley.suggestions.get(), accept=True)
    record(hv, family_a, mother, "gad2", [0, 0])  # a screening tool is not the full assessment
    assert len(open_tasks(mother, TaskKind.FULL_ASSESSMENT)) == 1
    screen = record(hv, family_a, mother, code, totalling(code, 3))
    assert open_tasks(mother, TaskKind.FULL_ASSESSMENT) == []
    task = Task.objects.get(person=mother, kind=TaskKind.FULL_ASSESSMENT)
    assert task.status == "completed"
    assert task.events.get(event="complete").note == f"Questionnaire {screen.pk}"
    assert len(open_tasks(father, TaskKind.FULL_ASSESSMENT)) == 1


# --- interpreters ------------------------------------------------------------------------


def test_screen_records_the_interpreter_and_language(hv, family_a, mother):
    screen = record(hv, family_a, mother, "whooley", [0, 0], interpreter_used=True, interpreter_language=" Polish ")
    screen.refresh_from_db()
    assert (screen.interpreter_used, screen.interpreter_language) == (True, "Polish")


@pytest.mark.parametrize(("used", "language"), [(True, ""), (True, "  "), (False, "Polish")])
def test_interpreter_needs_a_language_and_a_language_needs_an_interpreter(hv, family_a, mother, used, language):
    with pytest.raises(ValidationError) as error:
        record(hv, family_a, mother, "whooley", [0, 0], interpreter_used=used, interpreter_language=language)
    assert "interpreter_language" in error.value.message_dict
    assert not Screen.objects.exists()
