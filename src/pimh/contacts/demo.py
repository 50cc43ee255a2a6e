"""Demo step: past mandated contacts and the scheduled tasks of every demo family.

Completion follows the England calibration values of the domain reference
(section 2; section 8: worse in more deprived areas). Everything is drawn with
numpy and written with ``bulk_create``: no service call per row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.utils import timezone

from pimh.contacts import asq3, schedule
from pimh.contacts.models import Attendance, Contact, Location, Mode, Task, TaskEvent
from pimh.contacts.services import RULES, scheduled_tasks_for
from pimh.contacts.task_states import TaskEventName, TaskStatus, status_on
from pimh.demo.bulk import insert_objects, insert_rows
from pimh.families.models import Family, Person, PersonRole, Pregnancy, PregnancyOutcome

WORKING_HOURS_START = dt.time(9, 30)

# (share done within the target window / by the metric limit, share done late but before the window expires)
RATES = {
    "antenatal": (0.80, 0.0),  # C1 is a count, no national percentage: an assumption
    "new_birth_visit": (0.864, 0.111),  # C2 86.4%, C3 11.1%
    "six_to_eight_week": (0.815, 0.08),  # C8i 81.5%
    "twelve_month": (0.746, 0.08),  # C4 74.6%, C5 82.6%
    "two_to_two_and_half_year": (0.757, 0.05),  # C6i 75.7%
}
DEPRIVATION_SLOPE = 0.015  # 1.5 points of completion per IMD decile (decile 1 = most deprived)
DNA_BEFORE_ATTENDED = 0.05
DNA_WHEN_MISSED = 0.15
FATHER_PRESENT = 0.3


def _on_time_probability(contact: str, decile: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    on_time, late = RATES[contact]
    centre = decile.mean() if decile.size else 5.5  # centred: the service's overall rate stays calibrated
    shift = DEPRIVATION_SLOPE * (decile - centre)
    p_on = np.clip(on_time + shift, 0.05, 0.97)
    p_late = np.clip(np.full_like(p_on, late), 0.0, 0.99 - p_on)
    return p_on, p_on + p_late


def _draw_dates(rng: np.random.Generator, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """A uniform day in [start, end] (ordinal days), element-wise."""
    return start + np.floor(rng.random(start.size) * (end - start + 1)).astype(np.int64)


# Infant feeding at attended reviews (England 2023/24: 52.7% totally or partially breastfed at 6-8 weeks),
# status recorded at about 97% of them; ASQ-3 used at about 90% of 2-2½ year reviews.
FEEDING = {"new_birth_visit": (0.45, 0.30, 0.25), "six_to_eight_week": (0.33, 0.20, 0.47)}
FEEDING_RECORDED = 0.97
ASQ3_USED = 0.90


def _measures(
    rng: np.random.Generator, kind: np.ndarray, days_after_window_start: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Feeding codes, ASQ-3 intervals (0 = not used) and domain scores, drawn for every row at once."""
    n = kind.size
    feeding = np.full(n, "", dtype=object)
    for contact_type, shares in FEEDING.items():
        rows = (kind == contact_type) & (rng.random(n) < FEEDING_RECORDED)
        feeding[rows] = rng.choice([asq3.TOTALLY, asq3.PARTIALLY, asq3.NOT_AT_ALL], size=n, p=shares)[rows]
    used = (kind == "two_to_two_and_half_year") & (rng.random(n) < ASQ3_USED)
    # The window opens at about 24 months: the questionnaire nearest the child's age at the review.
    months = 24 + np.maximum(days_after_window_start, 0) / 30.4
    interval = np.where(months < 26.5, 24, np.where(months < 28.5, 27, 30))
    interval = np.where(used, interval, 0)
    # Each domain: six items scored 0, 5 or 10 (mostly 10: most children are at or above the cut-off).
    items = rng.choice([0, 5, 10], size=(n, len(asq3.DOMAINS), 6), p=(0.06, 0.16, 0.78))
    return feeding, interval, items.sum(axis=2)


MEASURE_FIELDS = ("feeding_status", "asq3_used", "asq3_interval_months", *(f"asq3_{d}" for d in asq3.DOMAINS))
NOT_MEASURED = ("", False, None, *(None for _ in asq3.DOMAINS))


def _measured(i: int, feeding: np.ndarray, interval: np.ndarray, scores: np.ndarray) -> tuple[object, ...]:
    """The row's values for MEASURE_FIELDS (an attended review)."""
    if not interval[i]:
        return (feeding[i], False, None, *(None for _ in asq3.DOMAINS))
    return (feeding[i], True, int(interval[i]), *(int(scores[i, j]) for j in range(len(asq3.DOMAINS))))


CONTACT_FIELDS = (
    "family_id",
    "subject_id",
    "pregnancy_id",
    "contact_type",
    "csds_activity_code",
    "date",
    "practitioner_id",
    "mode",
    "location",
    "attendance",
    "recorded_at",
    *MEASURE_FIELDS,
)
TASK_EVENT_FIELDS = ("task_id", "at", "event", "from_status", "to_status", "by_id", "note", "contact_id")


@dataclass(frozen=True)
class _Done:
    """A contact just written: what its task and task events need."""

    pk: int
    date: dt.date
    practitioner_id: int
    recorded_at: dt.datetime


def load(context) -> dict[str, int]:  # context: pimh.demo.loader.DemoContext
    rng = context.rng
    today = context.today
    today_ord = today.toordinal()
    tz = timezone.get_current_timezone()
    now = timezone.now()
    moments: dict[int, dt.datetime] = {}

    def at(day: int) -> dt.datetime:
        if day not in moments:
            moments[day] = min(now, dt.datetime.combine(dt.date.fromordinal(day), WORKING_HOURS_START, tzinfo=tz))
        return moments[day]

    fallback = next(iter(u.pk for u in context.users.values() if u.role == "hv"))
    families = {
        pk: (hv or fallback, 5.5 if decile is None else float(decile))
        for pk, hv, decile in Family.objects.order_by("pk").values_list("pk", "allocated_hv_id", "imd_decile")
    }
    mothers: dict[int, int] = {}
    fathers: dict[int, int] = {}
    for pk, family_id, role in (
        Person.objects.filter(role__in=[PersonRole.BIRTHING_PARENT, PersonRole.FATHER])
        .order_by("pk")
        .values_list("pk", "family_id", "role")
    ):
        (mothers if role == PersonRole.BIRTHING_PARENT else fathers).setdefault(family_id, pk)

    # One row per (subject, window) that has started by today: the candidates for a past contact.
    rows: list[tuple[int, int | None, int | None, str, int, int, int, int, int]] = []
    # (family, infant, pregnancy, contact, start, end, expires, created_on, mother)
    cache: dict[dt.date, list[schedule.Window]] = {}
    born: dict[int, int] = {}  # infant -> date of birth (ordinal): no task is created before the birth
    for pk, family_id, dob in (
        Person.objects.filter(role=PersonRole.INFANT, date_of_birth__isnull=False, date_of_birth__lte=today)
        .order_by("pk")
        .values_list("pk", "family_id", "date_of_birth")
    ):
        if dob not in cache:
            cache[dob] = schedule.windows(dob=dob, rules=RULES)
        born[pk] = dob.toordinal()
        for w in cache[dob]:
            if w.window_start <= today:
                start = w.window_start.toordinal()
                rows.append(
                    (
                        family_id,
                        pk,
                        None,
                        w.contact,
                        start,
                        w.window_end.toordinal(),
                        w.expires_on.toordinal(),
                        dob.toordinal(),
                        mothers.get(family_id, 0),
                    )
                )
    for pk, family_id, mother_id, edd, birth in (
        Pregnancy.objects.filter(outcome=PregnancyOutcome.LIVE_BIRTH, outcome_date__isnull=False)
        .order_by("pk")
        .values_list("pk", "family_id", "mother_id", "edd", "outcome_date")
    ):
        for w in schedule.windows(edd=edd, dob=birth, rules=RULES):
            if w.contact == "antenatal" and w.window_start <= today:
                start = w.window_start.toordinal()
                rows.append(
                    (
                        family_id,
                        None,
                        pk,
                        w.contact,
                        start,
                        w.window_end.toordinal(),
                        w.expires_on.toordinal(),
                        start - 14,
                        mother_id,
                    )
                )

    n = len(rows)
    family = np.array([r[0] for r in rows], dtype=np.int64)
    infant = np.array([r[1] or 0 for r in rows], dtype=np.int64)
    pregnancy = np.array([r[2] or 0 for r in rows], dtype=np.int64)
    kind = np.array([r[3] for r in rows], dtype=object)
    start = np.array([r[4] for r in rows], dtype=np.int64)
    end = np.array([r[5] for r in rows], dtype=np.int64)
    expires = np.array([r[6] for r in rows], dtype=np.int64)
    earliest = np.array([r[7] for r in rows], dtype=np.int64)
    mother = np.array([r[8] for r in rows], dtype=np.int64)
    decile = np.array([families[f][1] for f in family.tolist()], dtype=float)
    hv = np.array([families[f][0] for f in family.tolist()], dtype=np.int64)

    p_on = np.zeros(n)
    p_any = np.zeros(n)
    for contact in RATES:
        mask = kind == contact
        p_on[mask], p_any[mask] = _on_time_probability(contact, decile[mask])
    u = rng.random(n)
    on_date = _draw_dates(rng, start, end)
    late_date = _draw_dates(rng, np.minimum(end + 1, expires), expires)
    when = np.where(u < p_on, on_date, np.where(u < p_any, late_date, 0))
    done = (when > 0) & (when <= today_ord)
    dna_gap = rng.integers(3, 11, n)
    dna_date = np.where(
        done,
        np.maximum(when - dna_gap, earliest),
        _draw_dates(rng, start, np.minimum(end, today_ord)),
    )
    dna = np.where(done, rng.random(n) < DNA_BEFORE_ATTENDED, (rng.random(n) < DNA_WHEN_MISSED) & (end < today_ord))
    at_home = np.where(kind == "new_birth_visit", rng.random(n) < 0.93, rng.random(n) < 0.25)
    father_there = rng.random(n) < FATHER_PRESENT
    csds = {rule.contact: rule.csds_code or "" for rule in RULES.rules}
    # Their own generator: the draws of the later demo steps stay as they were.
    feeding, asq_interval, asq_scores = _measures(np.random.default_rng([context.seed, 3]), kind, when - start)

    def contact(i: int, day: int, attendance: str) -> tuple:
        return (
            int(family[i]),
            int(infant[i]) or int(mother[i]) or None,
            int(pregnancy[i]) or None,
            kind[i],
            csds[kind[i]],
            dt.date.fromordinal(day),
            int(hv[i]),
            Mode.FACE_TO_FACE,
            Location.HOME if at_home[i] else Location.CLINIC,
            attendance,
            at(day),
            *(_measured(i, feeding, asq_interval, asq_scores) if attendance == Attendance.ATTENDED else NOT_MEASURED),
        )

    attended_rows = np.flatnonzero(done)
    dna_rows = np.flatnonzero(dna)
    attended_values = [contact(i, int(when[i]), Attendance.ATTENDED) for i in attended_rows.tolist()]
    missed_values = [contact(i, int(dna_date[i]), Attendance.DID_NOT_ATTEND) for i in dna_rows.tolist()]
    attended = [
        _Done(pk, row[5], row[6], row[10])
        for pk, row in zip(
            insert_rows(
                Contact, CONTACT_FIELDS, attended_values, len(attended_values), progress=context.progress
            ).tolist(),
            attended_values,
            strict=True,
        )
    ]
    missed = [
        _Done(pk, row[5], row[6], row[10])
        for pk, row in zip(
            insert_rows(Contact, CONTACT_FIELDS, missed_values, len(missed_values), progress=context.progress).tolist(),
            missed_values,
            strict=True,
        )
    ]
    links = []
    for i, c in zip(attended_rows.tolist(), attended, strict=True):
        family_id = int(family[i])
        people = {mothers.get(family_id), int(infant[i]) or None}
        if father_there[i]:
            people.add(fathers.get(family_id))
        links += [(c.pk, p) for p in sorted(p for p in people if p)]
    insert_rows(Contact.present.through, ("contact_id", "person_id"), links, len(links), progress=context.progress)

    # Tasks: the schedule's own rows (windows not yet expired), closed by the contacts done.
    def key(i: int) -> tuple[int | None, int | None, str]:
        return (int(infant[i]) or None, int(pregnancy[i]) or None, kind[i])

    done_by = {key(i): c for i, c in zip(attended_rows.tolist(), attended, strict=True)}
    attempts = {key(i): c for i, c in zip(dna_rows.tolist(), missed, strict=True)}
    tasks = scheduled_tasks_for(Family.objects.all(), today=today)
    completed_with: dict[int, _Done] = {}
    for n, task in enumerate(tasks):
        task.created_at = at(min(today_ord, max(task.due_from.toordinal() - 14, born.get(task.person_id, 0))))
        found = done_by.get((task.person_id, task.pregnancy_id, task.kind))
        if found:
            task.status = TaskStatus.COMPLETED
            task.completed_by_id = found.pk
            task.status_changed_at = found.recorded_at
            completed_with[n] = found
        else:
            task.status_changed_at = task.created_at
    insert_objects(Task, tasks, progress=context.progress)

    events: list[tuple] = []  # TASK_EVENT_FIELDS
    for n, task in enumerate(tasks):
        k = (task.person_id, task.pregnancy_id, task.kind)
        window = {"due_from": task.due_from, "due_by": task.due_by, "expires_on": task.expires_on}
        created_day = task.created_at.date()
        events.append(
            (
                task.pk,
                task.created_at,
                TaskEventName.CREATED,
                "",
                status_on(**window, today=created_day),
                None,
                "",
                None,
            )
        )
        if k in attempts:
            c = attempts[k]
            state = status_on(**window, today=c.date)
            events.append(
                (
                    task.pk,
                    c.recorded_at,
                    TaskEventName.ATTEMPT,
                    state,
                    state,
                    c.practitioner_id,
                    Attendance.DID_NOT_ATTEND.label,
                    c.pk,
                )
            )
        if n in completed_with:
            c = completed_with[n]
            late = (c.date - task.due_by).days
            events.append(
                (
                    task.pk,
                    c.recorded_at,
                    TaskEventName.COMPLETE,
                    status_on(**window, today=c.date),
                    TaskStatus.COMPLETED,
                    c.practitioner_id,
                    f"Completed {late} days after the window" if late > 0 else "",
                    c.pk,
                )
            )
    insert_rows(TaskEvent, TASK_EVENT_FIELDS, events, len(events), progress=context.progress)
    return {"contacts": len(attended) + len(missed), "tasks": len(tasks)}
