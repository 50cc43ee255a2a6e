"""The referral state table as documented (docs and pathway), written out independently of pimh.referrals.states."""

from __future__ import annotations

import itertools

from pimh.referrals.states import FINAL, Event, State

LEGAL = {
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
    **{(s, Event.WITHDRAW): State.WITHDRAWN for s in State if s not in FINAL},
}
ALL_PAIRS = list(itertools.product(State, Event))
ILLEGAL = [pair for pair in ALL_PAIRS if pair not in LEGAL]
