"""My diary, the booking form and recording from a booking, through the pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from pimh.core.models import AuditEvent
from pimh.diary import services
from pimh.diary.models import Booking
from tests.conftest import make_family


@pytest.fixture
def nbv_family(hv, team_a):
    return make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=12)


def _book(hv, family, *, task=None, date=None, time=dt.time(10, 0)):
    return services.book_contact(
        by=hv,
        family=family,
        data=services.BookingData(
            contact_type=task.kind if task else "additional",
            date=date or timezone.localdate(),
            time=time,
            people_ids=(family.people.get(role="birthing_parent").pk,),
            task_id=task.pk if task else None,
        ),
    )


def test_the_day_shows_my_bookings_in_time_order_and_no_one_else_s(client, hv, team_a, nbv_family, lead):
    today = timezone.localdate()
    _book(hv, nbv_family, time=dt.time(14, 30))
    task = nbv_family.tasks.get(kind="new_birth_visit")
    _book(hv, nbv_family, task=task, time=dt.time(9, 15))
    other = make_family(by=lead, team=team_a, allocated_hv=lead)
    _book(lead, other, time=dt.time(11, 0))
    client.force_login(hv)
    html = client.get("/diary/").content.decode()
    assert html.index("09:15") < html.index("14:30")
    assert "New birth visit for Robin" in html
    assert "Outside the task" not in html
    assert "11:00" not in html
    assert "2 contacts" in html
    assert f'href="/diary/?view=day&amp;date={(today + dt.timedelta(days=1)).isoformat()}"' in html
    assert not AuditEvent.objects.filter(user=hv, action="read").exists()


def test_the_week_shows_each_day_monday_to_sunday(client, hv, nbv_family):
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    _book(hv, nbv_family, date=today + dt.timedelta(days=7), time=dt.time(8, 5))  # next week
    client.force_login(hv)
    html = client.get(f"/diary/?view=week&date={today.isoformat()}").content.decode()
    assert html.count('<h2 class="nhsuk-heading-s">') == 7
    assert monday.strftime("%A %d %B") in html
    assert "08:05" not in html
    assert f"date={(today + dt.timedelta(days=7)).isoformat()}" in html  # next week
    next_week = client.get(f"/diary/?view=week&date={(today + dt.timedelta(days=7)).isoformat()}")
    assert "08:05" in next_week.content.decode()


def test_a_cancelled_booking_leaves_the_diary(client, hv, nbv_family):
    booking = _book(hv, nbv_family, time=dt.time(16, 45))
    services.cancel_booking(by=hv, booking=booking, reason="Family asked to rearrange")
    client.force_login(hv)
    assert "16:45" not in client.get("/diary/").content.decode()


def test_a_booked_task_says_so_on_my_work_and_the_family_record(client, hv, nbv_family):
    task = nbv_family.tasks.get(kind="new_birth_visit")
    booking = _book(hv, nbv_family, task=task, date=task.due_by, time=dt.time(10, 0))
    text = f"Booked for {booking.date.day} {booking.date:%b} 10:00"
    client.force_login(hv)
    assert text in client.get("/work/").content.decode()
    record = client.get(f"/families/{nbv_family.pk}/").content.decode()
    assert text in record
    assert f"/bookings/{booking.pk}/contact/" in record


def test_the_booking_form_opens_filled_in_from_the_task(client, hv, nbv_family):
    task = nbv_family.tasks.get(kind="new_birth_visit")
    client.force_login(hv)
    html = client.get(f"/families/{nbv_family.pk}/bookings/add/?task={task.pk}").content.decode()
    assert re.search(rf'<option value="{task.pk}" selected\s*>', html)
    assert re.search(r'<option value="new_birth_visit" selected\s*>', html)
    assert 'name="submit_token"' in html


def test_booking_outside_the_window_warns_and_goes_to_that_day(client, hv, nbv_family):
    task = nbv_family.tasks.get(kind="new_birth_visit")
    late = task.due_by + dt.timedelta(days=2)
    mother = nbv_family.people.get(role="birthing_parent")
    client.force_login(hv)
    response = client.post(
        f"/families/{nbv_family.pk}/bookings/add/",
        {
            "task_id": task.pk,
            "contact_type": "new_birth_visit",
            "date_day": late.day,
            "date_month": late.month,
            "date_year": late.year,
            "time": "10:30",
            "location": "home",
            "people_ids": [mother.pk],
        },
        follow=True,
    )
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == f"/diary/?view=day&date={late.isoformat()}"
    assert "This booking is after the window of the New birth visit" in html
    assert "Outside the task's window" in html
    assert Booking.objects.get().time == dt.time(10, 30)


def test_the_booking_form_refuses_a_bad_time_with_the_error_summary(client, hv, nbv_family):
    client.force_login(hv)
    html = client.post(
        f"/families/{nbv_family.pk}/bookings/add/", {"contact_type": "additional", "time": "25:99"}
    ).content.decode()
    assert 'class="nhsuk-error-summary"' in html
    assert "Enter the time as hours and minutes, for example 14:30" in html
    assert "Enter the date of the booking" in html
    assert not Booking.objects.exists()


def test_the_contact_form_opens_filled_in_from_the_booking(client, hv, nbv_family):
    task = nbv_family.tasks.get(kind="new_birth_visit")
    booking = _book(hv, nbv_family, task=task, time=dt.time(9, 40))
    client.force_login(hv)
    html = client.get(f"/bookings/{booking.pk}/contact/").content.decode()
    assert re.search(r'<option value="new_birth_visit" selected\s*>', html)
    assert 'value="09:40"' in html
    assert "Saving the contact marks the booking done" in html


def test_a_recorded_booking_cannot_be_recorded_again(client, hv, nbv_family):
    booking = _book(hv, nbv_family)
    services.cancel_booking(by=hv, booking=booking, reason="Not needed")
    client.force_login(hv)
    response = client.get(f"/bookings/{booking.pk}/contact/")
    assert response.status_code == 302
    assert response.url == f"/families/{nbv_family.pk}/"


def test_my_diary_is_in_the_header_for_health_visitors_and_specialists_only(client, hv, specialist, lead):
    for user, shown in ((hv, True), (specialist, True), (lead, False)):
        client.force_login(user)
        assert ('href="/diary/"' in client.get("/caseload/").content.decode()) is shown
