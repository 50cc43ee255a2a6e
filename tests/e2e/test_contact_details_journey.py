"""Contact details in a real browser: edit a family's address, phone, GP practice and a lone-worker
alert (a bad postcode first), read them back on the record, and see the alert on the caseload; axe
checks each page, and (through assert_accessible) nothing scrolls sideways at 390 px."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import make_family
from tests.e2e.conftest import assert_accessible, log_in, screenshot

pytestmark = pytest.mark.browser


def test_edit_contact_details_and_see_the_alert(live_server, page, hv, team_a):
    family = make_family(by=hv, team=team_a, allocated_hv=hv)
    base = live_server.url
    log_in(page, base, hv)
    page.goto(f"{base}/families/{family.pk}/")
    assert_accessible(page, "family record")
    page.get_by_role("link", name="Change contact details and alerts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contact details and alerts")
    assert_accessible(page, "contact details")

    page.get_by_label("Address line 1 (optional)").fill("1 Example Street")
    page.get_by_label("Town or city (optional)").fill("Leeds")
    page.get_by_label("Postcode (optional)").fill("ls1 4a")
    page.get_by_label("Phone number (optional)").fill("+44 7700 900123")
    page.get_by_label("GP practice ODS code (optional)").fill("b86001")
    page.get_by_label("GP practice name (optional)").fill("Example Surgery")
    page.get_by_label("Lone-worker risk", exact=True).check()
    page.get_by_label("Lone-worker risk: details (optional)").fill("Visit in pairs after dark")
    page.get_by_role("button", name="Save contact details").click()

    expect(page).to_have_title(re.compile(r"^Error: Contact details"))
    summary = page.locator(".nhsuk-error-summary")
    expect(summary.get_by_role("link", name="Enter a real UK postcode, for example SW1A 1AA")).to_be_visible()
    expect(page.get_by_label("Lone-worker risk: details (optional)")).to_have_value("Visit in pairs after dark")
    assert_accessible(page, "contact details (with errors)")

    page.get_by_label("Postcode (optional)").fill("ls1 4ap")
    page.get_by_role("button", name="Save contact details").click()
    expect(page).to_have_url(f"{base}/families/{family.pk}/")
    expect(page.get_by_text("Alerts for visiting staff")).to_be_visible()
    expect(page.get_by_text("Visit in pairs after dark")).to_be_visible()
    expect(page.get_by_text("1 Example Street, Leeds, LS1 4AP")).to_be_visible()
    expect(page.get_by_text("07700 900123")).to_be_visible()
    assert_accessible(page, "family record with an alert")
    screenshot(page, "family-alerts.png")

    page.get_by_role("link", name="My caseload").first.click()
    expect(page.locator(".nhsuk-tag--orange", has_text="Lone-worker risk")).to_be_visible()
    assert_accessible(page, "caseload with the alert tag")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/families/{family.pk}/contact-details/")
    assert_accessible(page, "contact details at 390 px")
