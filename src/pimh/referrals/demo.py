"""Demo step: the service directory, referrals with realistic outcomes, and the specialist's work.

Everything is drawn with the context's numpy generator and written with ``bulk_create``.
Includes the "baby blindspot": CAMHS declines infants under 2 for age criteria.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pimh.demo.bulk import insert_objects
from pimh.families.models import Person, PersonRole
from pimh.referrals import criteria
from pimh.referrals.models import (
    Consent,
    Referral,
    ReferralEvent,
    Service,
    SpecialistInvolvement,
    SupervisionSession,
    TrainingRecord,
)
from pimh.referrals.states import State
from pimh.referrals.working_days import add_working_days

REFERRAL_SHARE = 0.06  # share of families with a referral in the demo window (an assumption)
LOST_SHARE = 0.04  # referrals never acknowledged (an assumption)
ALL = ["emergency", "urgent", "routine"]

DIRECTORY = [
    # name, kind, sees, min months, max months, urgencies
    ("Northmoor GP practices", "gp", "dyad", 0, None, ALL),
    ("Northmoor Talking Therapies", "talking_therapies", "parent", 0, None, ["urgent", "routine"]),
    ("Northmoor Perinatal Mental Health Team", "perinatal_mh_team", "parent", 0, None, ALL),
    ("Regional Mother and Baby Unit", "mother_baby_unit", "dyad", 0, 12, ["emergency", "urgent"]),
    ("Little Steps Parent-Infant Team", "parent_infant_team", "dyad", 0, 24, ["urgent", "routine"]),
    ("Northmoor CAMHS", "camhs", "infant", 24, None, ["urgent", "routine"]),
    ("Specialist Health Visitor in PIMH", "specialist_hv", "dyad", 0, 60, ["urgent", "routine"]),
    ("Northmoor Children's Social Care", "social_care", "dyad", 0, None, ALL),
]
# (service index, weight, reason code, person is the infant)
MIX = [
    (0, 0.20, "depression", False),
    (1, 0.25, "anxiety", False),
    (2, 0.15, "depression", False),
    (3, 0.01, "severe_illness", False),
    (4, 0.15, "relationship", True),
    (5, 0.08, "infant_wellbeing", True),
    (6, 0.12, "relationship", True),
    (7, 0.04, "safeguarding", True),
]


def _services() -> list[Service]:
    from pimh.demo.generator import local_authority_code

    areas = [local_authority_code(0), local_authority_code(1)]
    return Service.objects.bulk_create(
        [
            Service(
                name=name,
                kind=kind,
                sees=sees,
                infant_min_months=low,
                infant_max_months=high,
                urgencies=urgencies,
                areas=areas,
                phone="01632 960000",
                email=f"referrals.{kind}@northmoor.example",
            )
            for name, kind, sees, low, high, urgencies in DIRECTORY
        ]
    )


def load(context) -> dict[str, int]:  # context: pimh.demo.loader.DemoContext
    rng = context.rng
    today = context.today
    tz = timezone.get_current_timezone()
    services = _services()
    infants: dict[int, tuple[int, dt.date]] = {}
    for pk, family_id, dob in (
        Person.objects.filter(role=PersonRole.INFANT, date_of_birth__lte=today)
        .order_by("family_id", "-date_of_birth")
        .values_list("pk", "family_id", "date_of_birth")
    ):
        infants.setdefault(family_id, (pk, dob))  # the youngest child
    mothers = dict(Person.objects.filter(role=PersonRole.BIRTHING_PARENT).order_by("pk").values_list("family_id", "pk"))
    families = sorted(set(infants) & set(mothers))
    from pimh.families.models import Family

    family_info = dict(Family.objects.filter(pk__in=families).values_list("pk", "allocated_hv_id"))
    las = dict(Family.objects.filter(pk__in=families).values_list("pk", "local_authority_code"))
    chosen = [f for f in families if rng.random() < REFERRAL_SHARE]
    weights = [w for _, w, _, _ in MIX]
    picks = rng.choice(len(MIX), size=len(chosen), p=[w / sum(weights) for w in weights])

    referrals: list[Referral] = []
    histories: list[list[tuple[str, str, dt.date, str]]] = []
    for family_id, pick in zip(chosen, picks, strict=True):
        service_index, _, reason, to_infant = MIX[int(pick)]
        service = services[service_index]
        infant_id, dob = infants[family_id]
        person_id = infant_id if to_infant else mothers[family_id]
        sent = today - dt.timedelta(days=int(rng.integers(1, 180)))
        sent = max(sent, dob) if to_infant else sent
        urgency = str(rng.choice(service.urgencies))
        warnings = criteria.check(
            service.criteria,
            is_infant=to_infant,
            date_of_birth=dob,
            urgency=urgency,
            area=las[family_id],
            on=sent,
            infant_date_of_birth=dob if sent >= dob else None,
        )
        referral = Referral(
            family_id=family_id,
            person_id=person_id,
            service=service,
            reason_code=reason,
            urgency=urgency,
            criteria_warnings=warnings,
            created_by_id=family_info[family_id],
            status=State.SENT,
            sent_on=sent,
            consent=Consent.GIVEN,  # a sent referral has consent recorded (referrals/consent.py)
        )
        history = [("create", "", "draft", sent, ""), ("send", "draft", "sent", sent, "")]
        age_days = (today - sent).days
        ack = add_working_days(sent, int(rng.integers(0, 4)))
        out_of_age = any(w.startswith("Outside age") for w in warnings)
        lost = rng.random() < LOST_SHARE  # never acknowledged: the lead's overdue list shows them
        if ack <= today and age_days > 2 and not lost:
            if out_of_age or rng.random() < 0.12:
                decline = "outside_age_criteria" if out_of_age else str(rng.choice(["threshold_not_met", "other"]))
                referral.status, referral.decline_reason = State.DECLINED, decline
                referral.decided_on = referral.closed_on = ack
                history.append(("decline", "sent", "declined", ack, ""))
            else:
                referral.status, referral.acknowledged_on, referral.decided_on = State.ACCEPTED, ack, ack
                history.append(("accept", "sent", "accepted", ack, ""))
                wait = int(rng.integers(5, 35))
                appointment = sent + dt.timedelta(days=wait)
                if ack + dt.timedelta(days=3) <= today:
                    referral.status, referral.first_appointment_on = State.FIRST_APPOINTMENT_OFFERED, appointment
                    history.append(("offer_first_appointment", "accepted", "first_appointment_offered", ack, ""))
                    if appointment < today and rng.random() < 0.85:
                        referral.status, referral.attended_on = State.FIRST_APPOINTMENT_ATTENDED, appointment
                        history.append(
                            (
                                "record_attended",
                                "first_appointment_offered",
                                "first_appointment_attended",
                                appointment,
                                "",
                            )
                        )
                        discharge = appointment + dt.timedelta(days=int(rng.integers(30, 120)))
                        if discharge < today:
                            referral.status, referral.closed_on = State.DISCHARGED, discharge
                            history.append(
                                ("discharge", "first_appointment_attended", "discharged", discharge, "Goals met")
                            )
        elif rng.random() < 0.03:
            referral.status, referral.closed_on = State.WITHDRAWN, today
            history.append(("withdraw", "sent", "withdrawn", today, "Family declined the referral"))
        referral.created_at = dt.datetime.combine(sent, dt.time(10, 0), tzinfo=tz)
        referrals.append(referral)
        histories.append(history)
    insert_objects(Referral, referrals, progress=context.progress)
    created = referrals
    events = [
        ReferralEvent(
            referral_id=referral.pk,
            at=dt.datetime.combine(day, dt.time(11, 0), tzinfo=tz),
            by_id=referral.created_by_id,
            event=event,
            from_status=old,
            to_status=new,
            note=note,
        )
        for referral, history in zip(created, histories, strict=True)
        for event, old, new, day, note in history
    ]
    insert_objects(ReferralEvent, events, progress=context.progress)
    return {"services": len(services), "referrals": len(created), "referral_events": len(events), **_workforce(context)}


def _workforce(context) -> dict[str, int]:
    """The specialist's involvements, supervision and training of the demo staff."""
    rng = context.rng
    today = context.today
    users = context.users
    sphv = users.get("sphv")
    lead = users.get("lead")
    involvements: list[SpecialistInvolvement] = []
    if sphv is not None:
        from pimh.families.models import Family

        complex_families = list(
            Family.objects.filter(team__in=sphv.teams.all(), service_level="partnership_plus")
            .order_by("pk")
            .values_list("pk", flat=True)[:25]
        )
        kinds = ["consultation", "joint_working", "holding"]
        for family_id in complex_families:
            involvements.append(
                SpecialistInvolvement(
                    family_id=family_id,
                    specialist=sphv,
                    kind=str(rng.choice(kinds, p=[0.5, 0.35, 0.15])),
                    started=today - dt.timedelta(days=int(rng.integers(7, 200))),
                )
            )
    SpecialistInvolvement.objects.bulk_create(involvements)
    sessions: list[SupervisionSession] = []
    training: list[TrainingRecord] = []
    practitioners = [u for u in users.values() if u.role in ("hv", "sphv")]
    for user in practitioners:
        supervisor = lead if user.role == "sphv" else sphv
        if supervisor is None:
            continue
        last = today - dt.timedelta(days=int(rng.integers(10, 150)))  # some are overdue (> 3 months)
        for months_back in range(3):
            sessions.append(
                SupervisionSession(
                    supervisee=user,
                    supervisor=supervisor,
                    date=last - dt.timedelta(days=91 * months_back),
                    kind=str(rng.choice(["individual", "group", "safeguarding", "reflective"])),
                    duration_minutes=int(rng.choice([60, 90])),
                )
            )
        for course, share in (("perinatal_mh_champion", 0.4), ("infant_mh_champion", 0.3), ("elearning", 0.7)):
            if rng.random() < share:
                training.append(
                    TrainingRecord(
                        practitioner=user,
                        course=course,
                        module_name="e-LfH Perinatal Mental Health" if course == "elearning" else "",
                        completed_on=today - dt.timedelta(days=int(rng.integers(30, 900))),
                    )
                )
    SupervisionSession.objects.bulk_create(sessions)
    TrainingRecord.objects.bulk_create(training)
    return {
        "specialist_involvements": len(involvements),
        "supervision_sessions": len(sessions),
        "training_records": len(training),
    }
