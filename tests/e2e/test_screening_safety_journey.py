"""Screening safety in a real browser: a father's EPDS of 10 given through an interpreter is positive by his
own cut-off; accepting the referral suggestion opens the referral form filled in for him; a GAD-2 with one
item blank is shown as undetermined, never negative. axe-core checks every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from pimh.families.models import PersonRole
from pimh.screening import instruments
from tests.conftest import make_family
from tests.e2e.conftest import assert_accessible, log_in
from tests.screening.test_instruments import answers_for_total

pytestmark = pytest.mark.browser


def test_father_epds_with_interpreter_leads_to_a_prefilled_referral(live_server, page: Page, hv, team_a):
    family = make_family(by=hv, team=team_a, allocated_hv=hv)
    father = family.people.get(role=PersonRole.FATHER)
    base = live_server.url
    log_in(page, base, hv)

    page.goto(f"{base}/families/{family.pk}/screens/add/?person={father.pk}&instrument=epds")
    for number, position in enumerate(answers_for_total(instruments.EPDS, 10), start=1):
        page.locator(f"input[name=item_{number}][value='{position}']").check()
    page.get_by_label("An interpreter was used for this questionnaire").check()
    page.get_by_label("Language").fill("Polish")
    assert_accessible(page, "EPDS with interpreter fields")
    page.get_by_role("button", name="Save questionnaire").click()
    expect(page.get_by_text("Positive from 10 (Father)")).to_be_visible()
    expect(page.get_by_text("Used (Polish)")).to_be_visible()
    expect(page.get_by_text("validated for the questionnaire in its original language")).to_be_visible()
    assert_accessible(page, "father EPDS result")

    card = page.locator(".nhsuk-card").filter(has_text="Or refer")
    card.get_by_label("Accept").check()
    card.get_by_role("button", name="Record decision").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Refer to a service")
    expect(page.get_by_label("Who is being referred")).to_have_value(str(father.pk))
    expect(page.get_by_label("Reason")).to_have_value("depression")
    expect(page.get_by_label("Routine")).to_be_checked()
    assert_accessible(page, "referral form pre-filled")

    page.goto(f"{base}/families/{family.pk}/screens/add/?person={father.pk}&instrument=gad2")
    assert_accessible(page, "GAD-2")
    page.locator("input[name=item_1][value='1']").check()
    page.get_by_role("button", name="Save questionnaire").click()
    expect(page.get_by_text("Undetermined: complete the questionnaire")).to_be_visible()
    expect(page.get_by_text("Do not treat this as a negative screen")).to_be_visible()
    assert_accessible(page, "undetermined GAD-2")
