"""The screening journey in a real browser: during a new birth visit the health visitor records a
positive Whooley for the mother, then a PHQ-9 with item 9 above 0; the urgent banner appears on the
family record and the urgent task is first on the worklist; the action is recorded and the flag
clears. axe-core checks every page."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from pimh.contacts import services as contact_services
from pimh.families.models import PersonRole
from pimh.screening.models import FlagStatus, UrgentFlag
from tests.conftest import make_family
from tests.e2e.conftest import assert_accessible, log_in, screenshot

pytestmark = pytest.mark.browser


def test_positive_whooley_then_phq9_risk_item_raises_and_clears_an_urgent_flag(live_server, page: Page, hv, team_a):
    family = make_family(by=hv, team=team_a, allocated_hv=hv)
    mother = family.people.get(role=PersonRole.BIRTHING_PARENT)
    infant = family.people.get(role=PersonRole.INFANT)
    visit = contact_services.record_contact(
        by=hv,
        family=family,
        data=contact_services.ContactData(
            contact_type="new_birth_visit",
            date=timezone.localdate(),
            subject_id=infant.pk,
            present_ids=(mother.pk, infant.pk),
        ),
    )
    base = live_server.url
    log_in(page, base, hv)

    page.goto(f"{base}/families/{family.pk}/screens/add/?contact={visit.pk}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a questionnaire")
    assert_accessible(page, "choose questionnaire")
    page.get_by_label(f"{mother.full_name} (Birthing parent (mother))").check()
    page.get_by_label("Whooley questions").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Whooley questions")
    assert_accessible(page, "Whooley")
    page.locator("input[name=item_1][value='1']").check()
    page.locator("input[name=item_2][value='0']").check()
    page.get_by_role("button", name="Save questionnaire").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Whooley questions result")
    expect(page.get_by_text("EPDS or PHQ-9, and GAD-7").first).to_be_visible()
    assert_accessible(page, "Whooley result")
    page.get_by_label("Accept").check()
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Decision recorded")).to_be_visible()
    assert_accessible(page, "Whooley result (decision recorded)")

    page.get_by_role("link", name=f"Record another questionnaire for {mother.given_name}").click()
    assert_accessible(page, "choose another questionnaire")
    page.get_by_label("Patient Health Questionnaire 9-item (PHQ-9)").check()
    page.get_by_role("button", name="Continue").click()
    assert_accessible(page, "PHQ-9")
    for n in range(1, 9):
        page.locator(f"input[name=item_{n}][value='1']").check()
    page.locator("input[name=item_9][value='1']").check()
    page.get_by_role("button", name="Save questionnaire").click()
    expect(page.get_by_text("Scored above 0: urgent flag raised")).to_be_visible()
    assert_accessible(page, "PHQ-9 result")

    page.goto(f"{base}/families/{family.pk}/")
    banner = page.get_by_role("region", name="Urgent flags")
    expect(banner).to_contain_text("Self-harm item scored above 0")
    assert_accessible(page, "family record with urgent flag")

    worklist = page.goto(f"{base}/work/")
    assert worklist is not None and worklist.status == 200
    first_row = page.locator("table tbody tr").first
    expect(first_row).to_contain_text("Urgent")
    assert_accessible(page, "worklist")

    page.goto(f"{base}/families/{family.pk}/")
    assert_accessible(page, "family record with urgent flag (again)")
    page.get_by_role("link", name="Record action taken").first.click()
    assert_accessible(page, "record action")
    page.get_by_role("button", name="Record action and clear flag").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page, "record action (error)")
    page.get_by_label("Action taken").fill("Discussed with GP; same-day appointment booked")
    page.get_by_role("button", name="Record action and clear flag").click()
    expect(page.get_by_text("Action recorded and the urgent flag cleared")).to_be_visible()
    expect(page.get_by_role("region", name="Urgent flags")).to_have_count(0)
    assert_accessible(page, "family record after clearing the flag")
    assert UrgentFlag.objects.get().status == FlagStatus.CLOSED
    # A favicon request cut short by the next navigation is not a problem with the page.
    assert page.problems == []  # type: ignore[attr-defined]


def test_red_flag_emergency_history_chart_and_lead_page(live_server, page: Page, hv, lead, team_a):
    from pimh.screening import services

    family = make_family(by=hv, team=team_a, allocated_hv=hv)
    father = family.people.get(role=PersonRole.FATHER)
    for answers in ([1, 1], [2, 2], [0, 1]):
        services.record_screen(by=hv, family=family, person=father, instrument="gad2", answers=answers)
    base = live_server.url
    log_in(page, base, hv)
    page.goto(f"{base}/families/{family.pk}/")
    expect(page.get_by_role("img", name="Generalized Anxiety Disorder 2-item (GAD-2) totals over time")).to_be_visible()
    assert_accessible(page, "family record with screening history")

    page.get_by_role("link", name="Raise a clinical red flag").click()
    assert_accessible(page, "raise a red flag")
    page.get_by_label(f"{father.full_name} (Father)").check()
    page.get_by_label("Suspected postpartum psychosis").check()
    page.get_by_role("button", name="Raise urgent flag").click()
    expect(page.get_by_role("region", name="Urgent flags")).to_contain_text(
        "Emergency: specialist assessment within 4 hours"
    )
    assert_accessible(page, "family record with an emergency flag")

    page.get_by_role("button", name="Log out").click()
    assert_accessible(page, "logged out")
    log_in(page, base, lead)
    page.get_by_role("link", name="Urgent flags").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Open urgent flags")
    expect(page.get_by_role("cell", name=family.reference)).to_be_visible()
    assert_accessible(page, "lead's urgent flags")
    screenshot(page, "team-urgent-flags.png")
