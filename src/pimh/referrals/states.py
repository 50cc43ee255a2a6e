"""The referral lifecycle as a pure state machine (no Django).

draft → sent → acknowledged → accepted | declined → first_appointment_offered
→ first_appointment_attended → discharged; withdrawn from any non-final state.

Decisions (documented, tested):
- A receiving service often answers without a separate acknowledgement, so
  ``accept`` and ``decline`` are also legal straight from ``sent`` (the
  acknowledgement is implied).
- A service may re-offer a first appointment (``offer_first_appointment`` from
  ``first_appointment_offered`` records a new date).
- ``discharge`` is legal from ``accepted`` or any appointment state (a family may
  be discharged before attending, e.g. after repeated non-attendance).
- ``declined``, ``discharged`` and ``withdrawn`` are final.
"""

from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    ACKNOWLEDGED = "acknowledged"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    FIRST_APPOINTMENT_OFFERED = "first_appointment_offered"
    FIRST_APPOINTMENT_ATTENDED = "first_appointment_attended"
    DISCHARGED = "discharged"
    WITHDRAWN = "withdrawn"


class Event(StrEnum):
    SEND = "send"
    ACKNOWLEDGE = "acknowledge"
    ACCEPT = "accept"
    DECLINE = "decline"
    OFFER_FIRST_APPOINTMENT = "offer_first_appointment"
    RECORD_ATTENDED = "record_attended"
    DISCHARGE = "discharge"
    WITHDRAW = "withdraw"


STATE_LABELS: dict[State, str] = {
    State.DRAFT: "Draft",
    State.SENT: "Sent, awaiting acknowledgement",
    State.ACKNOWLEDGED: "Acknowledged",
    State.ACCEPTED: "Accepted",
    State.DECLINED: "Declined",
    State.FIRST_APPOINTMENT_OFFERED: "First appointment offered",
    State.FIRST_APPOINTMENT_ATTENDED: "First appointment attended",
    State.DISCHARGED: "Discharged",
    State.WITHDRAWN: "Withdrawn",
}

EVENT_LABELS: dict[Event, str] = {
    Event.SEND: "Send",
    Event.ACKNOWLEDGE: "Record acknowledgement",
    Event.ACCEPT: "Record acceptance",
    Event.DECLINE: "Record decline",
    Event.OFFER_FIRST_APPOINTMENT: "Record first appointment offered",
    Event.RECORD_ATTENDED: "Record first appointment attended",
    Event.DISCHARGE: "Record discharge",
    Event.WITHDRAW: "Withdraw",
}

FINAL = frozenset({State.DECLINED, State.DISCHARGED, State.WITHDRAWN})
OPEN = frozenset(State) - FINAL
# The lead's lists: sent and waiting to be acknowledged, or taken on and waiting for a first appointment.
AWAITING_APPOINTMENT = (State.ACKNOWLEDGED, State.ACCEPTED, State.FIRST_APPOINTMENT_OFFERED)
WAITING = (State.SENT, *AWAITING_APPOINTMENT)

TRANSITIONS: dict[tuple[State, Event], State] = {
    (State.DRAFT, Event.SEND): State.SENT,
    (State.SENT, Event.ACKNOWLEDGE): State.ACKNOWLEDGED,
    (State.SENT, Event.ACCEPT): State.ACCEPTED,
    (State.SENT, Event.DECLINE): State.DECLINED,
    (State.ACKNOWLEDGED, Event.ACCEPT): State.ACCEPTED,
    (State.ACKNOWLEDGED, Event.DECLINE): State.DECLINED,
    (State.ACCEPTED, Event.OFFER_FIRST_APPOINTMENT): State.FIRST_APPOINTMENT_OFFERED,
    (State.FIRST_APPOINTMENT_OFFERED, Event.OFFER_FIRST_APPOINTMENT): State.FIRST_APPOINTMENT_OFFERED,
    (State.FIRST_APPOINTMENT_OFFERED, Event.RECORD_ATTENDED): State.FIRST_APPOINTMENT_ATTENDED,
    (State.ACCEPTED, Event.DISCHARGE): State.DISCHARGED,
    (State.FIRST_APPOINTMENT_OFFERED, Event.DISCHARGE): State.DISCHARGED,
    (State.FIRST_APPOINTMENT_ATTENDED, Event.DISCHARGE): State.DISCHARGED,
    **{(state, Event.WITHDRAW): State.WITHDRAWN for state in OPEN},
}


class IllegalTransition(Exception):
    def __init__(self, state: State, event: Event) -> None:
        self.state, self.event = State(state), Event(event)
        allowed = ", ".join(EVENT_LABELS[e].lower() for e in allowed_events(self.state)) or "nothing (it is closed)"
        super().__init__(
            f"A referral that is {STATE_LABELS[self.state].lower()} cannot take "
            f"'{EVENT_LABELS[self.event].lower()}'. Allowed now: {allowed}."
        )


def allowed_events(state: State | str) -> list[Event]:
    return [event for (from_state, event) in TRANSITIONS if from_state == State(state)]


def next_state(state: State | str, event: Event | str) -> State:
    try:
        return TRANSITIONS[(State(state), Event(event))]
    except KeyError:
        raise IllegalTransition(State(state), Event(event)) from None
