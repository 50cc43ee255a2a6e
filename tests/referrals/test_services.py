"""Referral services: transitions, history, audit, chase and timeliness tasks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from pimh.contacts.models import Task
from pimh.core.models import AuditEvent
from pimh.referrals import services
from pimh.referrals.models import Referral, ReferralEvent
from pimh.referrals.states import Event, State
from tests.referrals.legal import ILLEGAL, LEGAL

FRIDAY = dt.date(2025, 12, 19)


def infant(family):
    return family.people.get(role="infant")


@pytest.fixture
def referral(hv, family_a, infant_service):
    return services.create_referral(
        by=hv,
        family=family_a,
        person=infant(family_a),
        service=infant_service,
        urgency="routine",
        reason_code="relationship",
        reason_text="Struggling to bond",
        consent="given",
    )


# The service call that drives each event, from any state.
def drive(event, referral, by, today=FRIDAY):
    calls = {
        Event.SEND: lambda: services.send(by=by, referral=referral, today=today),
        Event.ACKNOWLEDGE: lambda: services.acknowledge(by=by, referral=referral, today=today),
        Event.ACCEPT: lambda: services.accept(by=by, referral=referral, today=today),
        Event.DECLINE: lambda: services.decline(by=by, referral=referral, reason="threshold_not_met", today=today),
        Event.OFFER_FIRST_APPOINTMENT: lambda: services.offer_first_appointment(
            by=by, referral=referral, on=today + dt.timedelta(days=7), today=today
        ),
        Event.RECORD_ATTENDED: lambda: services.record_attended(by=by, referral=referral, today=today),
        Event.DISCHARGE: lambda: services.discharge(by=by, referral=referral, note="Goals met", today=today),
        Event.WITHDRAW: lambda: services.withdraw(by=by, referral=referral, reason="Family moved", today=today),
    }
    return calls[event]()


# A path of events that reaches each state from draft.
PATH = {
    State.DRAFT: [],
    State.SENT: [Event.SEND],
    State.ACKNOWLEDGED: [Event.SEND, Event.ACKNOWLEDGE],
    State.ACCEPTED: [Event.SEND, Event.ACKNOWLEDGE, Event.ACCEPT],
    State.DECLINED: [Event.SEND, Event.DECLINE],
    State.FIRST_APPOINTMENT_OFFERED: [Event.SEND, Event.ACCEPT, Event.OFFER_FIRST_APPOINTMENT],
    State.FIRST_APPOINTMENT_ATTENDED: [Event.SEND, Event.ACCEPT, Event.OFFER_FIRST_APPOINTMENT, Event.RECORD_ATTENDED],
    State.DISCHARGED: [Event.SEND, Event.ACCEPT, Event.DISCHARGE],
    State.WITHDRAWN: [Event.WITHDRAW],
}


@pytest.mark.parametrize(("state", "event"), list(LEGAL), ids=str)
def test_each_legal_service_call(hv, referral, state, event):
    for step in PATH[state]:
        drive(step, referral, hv)
    assert referral.status == state
    audits_before = AuditEvent.objects.filter(object_type="referrals.Referral", object_id=str(referral.pk)).count()
    drive(event, referral, hv)
    referral.refresh_from_db()
    assert referral.status == LEGAL[(state, event)]
    last = ReferralEvent.objects.filter(referral=referral).last()
    assert (last.event, last.from_status, last.to_status, last.by) == (event, state, referral.status, hv)
    audits = AuditEvent.objects.filter(object_type="referrals.Referral", object_id=str(referral.pk))
    assert audits.count() == audits_before + 1
    assert audits.first().detail == {"event": event.value, "from": state.value, "to": referral.status}


@pytest.mark.parametrize(("state", "event"), ILLEGAL, ids=str)
def test_each_illegal_service_call_changes_nothing(hv, referral, state, event):
    for step in PATH[state]:
        drive(step, referral, hv)
    events_before = ReferralEvent.objects.filter(referral=referral).count()
    with pytest.raises(ValidationError, match="cannot take"):
        drive(event, referral, hv)
    referral.refresh_from_db()
    assert referral.status == state
    assert ReferralEvent.objects.filter(referral=referral).count() == events_before


def test_full_history_is_kept(hv, referral):
    for event in PATH[State.FIRST_APPOINTMENT_ATTENDED] + [Event.DISCHARGE]:
        drive(event, referral, hv)
    history = list(ReferralEvent.objects.filter(referral=referral).values_list("from_status", "to_status"))
    assert history == [
        ("", "draft"),
        ("draft", "sent"),
        ("sent", "accepted"),
        ("accepted", "first_appointment_offered"),
        ("first_appointment_offered", "first_appointment_attended"),
        ("first_appointment_attended", "discharged"),
    ]
    assert AuditEvent.objects.filter(object_type="referrals.Referral", object_id=str(referral.pk)).count() == 6


def test_criteria_warnings_are_stored_and_it_can_still_be_sent(hv, family_a, infant_service):
    from tests.conftest import make_family

    older = make_family(by=hv, team=family_a.team, allocated_hv=hv, with_infant_days=430)  # about 14 months
    referral = services.create_referral(
        by=hv,
        family=older,
        person=infant(older),
        service=infant_service,
        urgency="routine",
        reason_code="relationship",
        consent="given",
    )
    assert referral.criteria_warnings == ["Outside age criteria: this service accepts infants aged 0-12 months"]
    services.send(by=hv, referral=referral)
    services.decline(by=hv, referral=referral, reason="outside_age_criteria")
    referral.refresh_from_db()
    assert (referral.status, referral.decline_reason) == ("declined", "outside_age_criteria")


def test_decline_needs_a_coded_reason_and_withdraw_a_reason(hv, referral):
    services.send(by=hv, referral=referral)
    with pytest.raises(ValidationError, match="reason the service gave"):
        services.decline(by=hv, referral=referral, reason="")
    with pytest.raises(ValidationError, match="reason for withdrawing"):
        services.withdraw(by=hv, referral=referral, reason="  ")
    referral.refresh_from_db()
    assert referral.status == "sent"


def test_person_must_be_in_the_family(hv, family_a, family_b, infant_service):
    with pytest.raises(ValidationError, match="someone in this family"):
        services.create_referral(
            by=hv,
            family=family_a,
            person=infant(family_b),
            service=infant_service,
            urgency="routine",
            reason_code="x",
            consent="given",
        )
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    ("urgency", "sent", "due"),
    [
        ("routine", FRIDAY, dt.date(2025, 12, 30)),  # 5 working days over Christmas and Boxing Day
        ("urgent", dt.date(2025, 12, 24), dt.date(2025, 12, 29)),
        ("urgent", dt.date(2025, 11, 21), dt.date(2025, 11, 24)),  # Friday to Monday
        ("emergency", FRIDAY, FRIDAY),  # same day
        ("routine", dt.date(2026, 4, 1), dt.date(2026, 4, 10)),  # over Easter
    ],
)
def test_chase_task_due_on_the_right_working_day(hv, referral, urgency, sent, due):
    Referral.objects.filter(pk=referral.pk).update(urgency=urgency)
    referral.refresh_from_db()
    services.send(by=hv, referral=referral, today=sent)
    task = Task.objects.get(source=f"referral:{referral.pk}", kind="referral_chase")
    assert (task.due_from, task.due_by, task.urgent, task.assigned_to) == (due, due, urgency != "routine", hv)


def test_acknowledging_completes_the_chase_and_accepting_raises_timeliness(hv, referral):
    services.send(by=hv, referral=referral, today=FRIDAY)
    services.acknowledge(by=hv, referral=referral, today=FRIDAY + dt.timedelta(days=3))
    chase = Task.objects.get(source=f"referral:{referral.pk}", kind="referral_chase")
    assert chase.status == "completed"
    services.accept(by=hv, referral=referral, today=FRIDAY + dt.timedelta(days=4))
    timeliness = Task.objects.get(source=f"referral:{referral.pk}", kind="referral_timeliness")
    assert timeliness.due_by == FRIDAY + dt.timedelta(weeks=2)
    assert timeliness.due_from == FRIDAY + dt.timedelta(days=9)
    assert "treatment by 30 Jan 2026" in timeliness.title
    services.offer_first_appointment(by=hv, referral=referral, on=FRIDAY + dt.timedelta(days=10))
    services.record_attended(by=hv, referral=referral, today=FRIDAY + dt.timedelta(days=10))
    timeliness.refresh_from_db()
    assert timeliness.status == "completed"


def test_withdrawing_cancels_the_open_chase(hv, referral):
    services.send(by=hv, referral=referral, today=FRIDAY)
    services.withdraw(by=hv, referral=referral, reason="Family declined the referral", today=FRIDAY)
    assert Task.objects.get(source=f"referral:{referral.pk}").status == "cancelled"


def test_a_decline_prompts_a_review_of_alternatives(hv, referral):
    services.send(by=hv, referral=referral, today=FRIDAY)
    services.decline(by=hv, referral=referral, reason="outside_age_criteria", today=FRIDAY)
    tasks = {t.kind: t for t in Task.objects.filter(source=f"referral:{referral.pk}")}
    assert tasks["referral_chase"].status == "cancelled"
    follow_up = tasks["follow_up"]
    assert (follow_up.due_from, follow_up.due_by, follow_up.assigned_to) == (FRIDAY, dt.date(2025, 12, 30), hv)
    assert "declined (outside age criteria)" in follow_up.title
