"""The diary in a real browser: book a new birth visit from My work, see it in My diary by day and by
week, record the contact from the booking, and the task completes; axe checks every page, and the
diary has no horizontal overflow at 390 px wide."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from pimh.diary.models import Booking
from tests.conftest import make_family
from tests.e2e.conftest import assert_accessible, log_in, screenshot
from tests.e2e.test_foundation_journey import fill_date

pytestmark = pytest.mark.browser


def test_book_from_a_task_see_it_in_the_diary_and_record_it(live_server, page, hv, team_a):
    family = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=12)
    task = family.tasks.get(kind="new_birth_visit")
    base = live_server.url
    day = timezone.localdate()

    log_in(page, base, hv)
    page.goto(f"{base}/work/")
    assert_accessible(page, "my work")
    page.get_by_role("link", name=re.compile(r"^Book New birth visit")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Book: New birth visit")
    expect(page.locator("#id_task_id")).to_have_value(str(task.pk))
    assert_accessible(page, "book a contact")
    fill_date(page, "date", str(day.day), str(day.month), str(day.year))
    page.get_by_label("Time").fill("10:00")
    page.get_by_label("Place (optional)").fill("Home visit, ring the side door")
    page.get_by_role("button", name="Book contact").click()

    # My diary, the booked day.
    expect(page).to_have_url(re.compile(r"/diary/\?view=day&date="))
    expect(page.get_by_role("heading", level=1)).to_have_text("My diary")
    expect(page.get_by_role("cell", name="10:00", exact=True)).to_be_visible()
    expect(page.get_by_text("Home visit, ring the side door")).to_be_visible()
    assert_accessible(page, "my diary (day)")
    screenshot(page, "diary-day.png")

    # The week view shows it too, under its day.
    page.get_by_role("link", name="Show the week").click()
    expect(page.get_by_role("heading", level=2, name=re.compile(r"\(today\)"))).to_be_visible()
    expect(page.get_by_role("cell", name="10:00", exact=True)).to_be_visible()
    assert_accessible(page, "my diary (week)")

    # The task on My work says it is booked.
    page.get_by_role("link", name="My work").first.click()
    expect(page.get_by_text(f"Booked for {day.day} {day:%b} 10:00")).to_be_visible()
    assert_accessible(page, "my work with the booked task")

    # Record the contact from the booking: the form is filled in from it.
    page.get_by_role("link", name="My diary").first.click()
    assert_accessible(page, "my diary before recording")
    page.get_by_role("link", name=re.compile(r"^Record contact for")).click()
    expect(page.locator("#id_contact_type")).to_have_value("new_birth_visit")
    expect(page.locator("#id_time")).to_have_value("10:00")
    assert_accessible(page, "record a contact from a booking")
    page.get_by_role("button", name="Save contact").click()

    expect(page).to_have_url(f"{base}/families/{family.pk}/")
    expect(page.get_by_text("Completed: New birth visit for Robin", exact=True)).to_be_visible()
    assert_accessible(page, "family record after recording from a booking")
    task.refresh_from_db()
    booking = Booking.objects.get()
    assert (task.status, booking.status, booking.contact_id) == ("completed", "done", task.completed_by_id)

    # The diary shows it recorded, also on a phone.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/diary/")
    expect(page.get_by_text("Recorded", exact=True)).to_be_visible()
    assert_accessible(page, "my diary at 390 px")
    page.goto(f"{base}/diary/?view=week")
    assert_accessible(page, "my diary (week) at 390 px")
