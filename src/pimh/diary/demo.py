"""Demo step: each health visitor's diary holds bookings for some of their due mandated contacts.

Up to ``PER_PRACTITIONER`` open tasks a contact completes, booked on the working days of the coming
fortnight inside each task's window where it can be, at half-hour slots from 09:30. Written with
``bulk_create``; a separate random stream, so the other demo steps draw as before.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from pimh.contacts.models import ContactType, Location, Task
from pimh.contacts.task_states import TaskStatus
from pimh.diary.models import Booking, BookingStatus
from pimh.families.models import Person, PersonRole

PER_PRACTITIONER = 12
SLOTS = [dt.time(9, 30), dt.time(10, 30), dt.time(11, 30), dt.time(13, 30), dt.time(14, 30), dt.time(15, 30)]


def _working_days(today: dt.date, count: int) -> list[dt.date]:
    days, day = [], today
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def load(context) -> dict[str, int]:  # context: pimh.demo.loader.DemoContext
    rng = np.random.default_rng(context.seed + 1_000)
    days = _working_days(context.today, 10)
    bookings: list[Booking] = []
    people: list[tuple[int, list[int]]] = []
    for user in context.users.values():
        if user.role not in ("hv", "sphv"):
            continue
        tasks = list(
            Task.objects.filter(
                assigned_to=user,
                status__in=[TaskStatus.DUE, TaskStatus.UPCOMING],
                kind__in=[c.value for c in ContactType],
            )
            .select_related("family")
            .order_by("due_by", "pk")[:PER_PRACTITIONER]
        )
        for n, task in enumerate(tasks):
            inside = [d for d in days if task.due_from <= d <= task.due_by] or days
            day = inside[int(rng.integers(0, len(inside)))]
            bookings.append(
                Booking(
                    family_id=task.family_id,
                    task=task,
                    practitioner=user,
                    contact_type=task.kind,
                    date=day,
                    time=SLOTS[n % len(SLOTS)],
                    location=Location.HOME,
                    status=BookingStatus.BOOKED,
                    created_by=user,
                )
            )
            people.append((task.family_id, [p for p in [task.person_id] if p is not None]))
    created = Booking.objects.bulk_create(bookings)
    mothers = dict(
        Person.objects.filter(
            family_id__in=[b.family_id for b in created], role=PersonRole.BIRTHING_PARENT
        ).values_list("family_id", "pk")
    )
    links = [
        Booking.people.through(booking_id=booking.pk, person_id=pk)
        for booking, (family_id, extra) in zip(created, people, strict=True)
        for pk in {*extra, *([mothers[family_id]] if family_id in mothers else [])}
    ]
    Booking.people.through.objects.bulk_create(links)
    return {"bookings": len(created)}
