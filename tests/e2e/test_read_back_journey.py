"""Read back what was recorded, in a real browser: a family with a safeguarding plan, an open urgent flag
and an interpreter need is tagged on the caseload and My work; from the family record, the contact's notes
and who was present, and the action taken on a cleared flag, each open on their own page; axe checks each."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from pimh.contacts import services as contact_services
from pimh.families import services
from pimh.screening import services as screening_services
from tests.conftest import person_data
from tests.e2e.conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser


def test_risk_tags_and_read_back_pages(live_server, page, hv, team_a):
    family = services.register_family(
        by=hv,
        team=team_a,
        allocated_hv=hv,
        details=services.FamilyDetails(safeguarding="cp", interpreter_needed=True, language="Polish"),
        parent=person_data(),
        second_parent=person_data("father"),
    )
    mother = family.people.get(role="birthing_parent")
    father = family.people.get(role="father")
    contact = contact_services.record_contact(
        by=hv,
        family=family,
        data=contact_services.ContactData(
            contact_type="additional",
            date=timezone.localdate(),
            present_ids=(mother.pk, father.pk),
            notes="Both parents present; talked about sleep",
        ),
    )
    cleared = screening_services.raise_flag(by=hv, family=family, person=mother, reason="change_in_mental_state")
    screening_services.close_flag(by=hv, flag=cleared, action_taken="Same-day GP appointment booked")
    screening_services.raise_flag(by=hv, family=family, person=mother, reason="self_harm_thoughts")
    base = live_server.url

    log_in(page, base, hv)
    page.goto(f"{base}/caseload/")
    row = page.get_by_role("row").filter(has_text=family.reference)
    for tag in ("Child protection plan", "Open urgent flag", "Interpreter: Polish"):
        expect(row.get_by_text(tag)).to_be_visible()
    assert_accessible(page, "caseload with risk tags")

    page.goto(f"{base}/work/")
    expect(page.get_by_text("Interpreter: Polish").first).to_be_visible()
    assert_accessible(page, "My work with risk tags")

    page.goto(f"{base}/families/{family.pk}/")
    assert_accessible(page, "family record with its timeline")
    page.get_by_role("link", name=re.compile(r"^Additional contact")).click()
    expect(page).to_have_url(f"{base}/contacts/{contact.pk}/")
    expect(page.get_by_text("Both parents present; talked about sleep")).to_be_visible()
    expect(page.get_by_text(father.full_name)).to_be_visible()
    assert_accessible(page, "contact read back")

    page.goto(f"{base}/families/{family.pk}/")
    assert_accessible(page, "family record (again)")
    page.get_by_role("link", name=re.compile(r"change in mental state.*cleared", re.I)).click()
    expect(page).to_have_url(f"{base}/flags/{cleared.pk}/")
    expect(page.get_by_text("Same-day GP appointment booked")).to_be_visible()
    assert_accessible(page, "flag read back")
    assert page.problems == []
