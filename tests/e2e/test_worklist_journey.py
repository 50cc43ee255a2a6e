"""The worklist journey in a real browser: from My work, record a new birth visit (getting the
date wrong first), and the task leaves the worklist; axe-core checks every page and state."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from pimh.contacts.models import Contact
from tests.conftest import make_family
from tests.e2e.conftest import assert_accessible, log_in, screenshot
from tests.e2e.test_foundation_journey import fill_date

pytestmark = pytest.mark.browser


def test_record_a_new_birth_visit_from_the_worklist(live_server, page, hv, team_a):
    family = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=12)
    task = family.tasks.get(kind="new_birth_visit")
    base = live_server.url
    today = timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)

    log_in(page, base, hv)
    page.get_by_role("link", name="My work").first.click()
    expect(page).to_have_url(f"{base}/work/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    record = page.get_by_role("link", name=re.compile(r"^Record contact for New birth visit"))
    expect(record).to_have_count(1)
    expect(page.get_by_role("cell", name="Robin Testington (12 days)")).to_be_visible()
    assert_accessible(page, "worklist")
    screenshot(page, "worklist.png")
    screenshot(page, "worklist-phone.png", phone=True)

    # Screen 2: the contact form, pre-filled from the task.
    record.click()
    expect(page).to_have_url(f"{base}/tasks/{task.pk}/contact/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Record contact: New birth visit")
    expect(page.locator("#id_contact_type")).to_have_value("new_birth_visit")
    expect(page.locator("#id_date_year")).to_have_value(str(today.year))
    assert_accessible(page, "record a contact")

    # A date in the future is refused; nothing is saved.
    fill_date(page, "date", str(tomorrow.day), str(tomorrow.month), str(tomorrow.year))
    page.get_by_role("button", name="Save contact").click()
    expect(page).to_have_title(re.compile(r"^Error: Record contact"))
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_focused()
    link = summary.get_by_role("link", name="The date of the contact must be today or in the past")
    expect(link).to_have_attribute("href", "#id_date_day")
    expect(page.locator("#id_date-error")).to_contain_text("today or in the past")
    assert not Contact.objects.exists()
    assert_accessible(page, "record a contact (with errors)")
    screenshot(page, "contact-errors.png")

    # Correct it: back on the worklist, the task is done.
    link.click()
    expect(page.locator("#id_date_day")).to_be_focused()
    fill_date(page, "date", str(today.day), str(today.month), str(today.year))
    page.get_by_label("Notes (optional)").fill("Feeding well, mother well supported")
    page.get_by_role("button", name="Save contact").click()

    # A new birth visit offers screening to each parent present: that prompt comes first.
    expect(page).to_have_url(re.compile(r"/contacts/[0-9]+/recorded/$"))
    expect(page.get_by_text("Contact recorded: New birth visit")).to_be_visible()
    assert_accessible(page, "contact recorded (screen each parent present)")
    page.get_by_role("link", name="Back to My work").click()
    expect(page).to_have_url(f"{base}/work/")
    expect(page.get_by_role("link", name=re.compile(r"^Record contact for New birth visit"))).to_have_count(0)
    task.refresh_from_db()
    assert task.status == "completed"
    assert task.completed_by.notes == "Feeding well, mother well supported"
    assert_accessible(page, "worklist after recording")
    assert page.problems == []
