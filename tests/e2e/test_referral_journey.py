"""The referral journey in a real browser: refer a 14-month-old to a 0-12 month service, see the
criteria warning, send anyway, record the decline for age criteria; the lead's page shows it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from pimh.referrals.models import Referral, Service
from tests.conftest import make_family
from tests.e2e.conftest import assert_accessible, log_in, screenshot

pytestmark = pytest.mark.browser


def test_refer_a_14_month_old_and_record_a_decline(live_server, new_page, hv, lead, team_a):
    family = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=430)
    service = Service.objects.create(
        name="Little Steps Parent-Infant Team", kind="parent_infant_team", sees="dyad", infant_max_months=12
    )
    infant = family.people.get(role="infant")
    base = live_server.url

    page = new_page()
    log_in(page, base, hv)
    page.wait_for_load_state("networkidle")  # let the caseload page finish (its favicon) before leaving it
    page.goto(f"{base}/families/{family.pk}/")
    expect(page.get_by_role("heading", name="Referrals")).to_be_visible()
    assert_accessible(page, "family record")
    page.get_by_role("link", name="Refer to a service").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Refer to a service")
    assert_accessible(page, "refer to a service")

    page.get_by_label("Who is being referred").select_option(str(infant.pk))
    page.get_by_label("Service").select_option(str(service.pk))
    page.get_by_label("Routine").check()
    page.get_by_label("Reason", exact=True).select_option("relationship")
    page.get_by_label("Consent given").check()
    page.get_by_role("button", name="Send referral").click()

    expect(page.locator("#criteria-warning")).to_contain_text(
        "Outside age criteria: this service accepts infants aged 0-12 months"
    )
    assert not Referral.objects.exists()
    assert_accessible(page, "refer to a service (criteria warning)")
    page.get_by_role("button", name="Send anyway").click()

    referral = Referral.objects.get()
    expect(page).to_have_url(f"{base}/referrals/{referral.pk}/")
    expect(page.get_by_text("Referral to Little Steps Parent-Infant Team sent")).to_be_visible()
    assert_accessible(page, "referral detail")
    expect(page.get_by_text("Consent given")).to_be_visible()
    page.emulate_media(media="print")  # printed, the page keeps the record and drops every action
    expect(page.get_by_role("button", name="Record decline")).to_be_hidden()
    expect(page.get_by_role("link", name="Referral letter (PDF)")).to_be_hidden()
    expect(page.get_by_role("heading", name="History")).to_be_visible()
    page.emulate_media(media="screen")
    expect(page.get_by_role("link", name="Referral letter (PDF)")).to_be_visible()
    page.get_by_label("Reason the service gave").select_option("outside_age_criteria")
    page.get_by_role("button", name="Record decline").click()
    expect(page.get_by_text(re.compile(r"^Recorded: declined"))).to_be_visible()
    referral.refresh_from_db()
    assert (referral.status, referral.decline_reason) == ("declined", "outside_age_criteria")
    assert_accessible(page, "referral detail (declined)")
    assert page.problems == []

    lead_page = new_page()
    log_in(lead_page, base, lead)
    lead_page.get_by_role("link", name="Referrals").first.click()
    expect(lead_page).to_have_url(f"{base}/team/referrals/")
    expect(lead_page.get_by_role("cell", name=re.compile("Declined: Outside age criteria"))).to_be_visible()
    assert_accessible(lead_page, "team referrals")
    screenshot(lead_page, "team-referrals.png")
    assert lead_page.problems == []


def test_specialist_accepts_a_referral_as_joint_working(live_server, new_page, hv, specialist, team_a):
    from pimh.referrals import services

    family = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=60)
    service = Service.objects.create(name="Specialist HV (PIMH)", kind="specialist_hv", sees="dyad")
    mother = family.people.get(role="birthing_parent")
    referral = services.create_and_send(
        by=hv,
        family=family,
        person=mother,
        service=service,
        urgency="routine",
        reason_code="depression",
        consent="given",
    )
    base = live_server.url

    page = new_page()
    log_in(page, base, specialist)
    page.get_by_role("link", name="Referrals for me").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Referrals waiting for you")
    assert_accessible(page, "specialist queue")
    screenshot(page, "specialist-queue.png")
    page.get_by_role("link", name=mother.full_name).click()
    expect(page).to_have_url(f"{base}/referrals/{referral.pk}/")
    assert_accessible(page, "referral waiting for the specialist")
    page.get_by_label("Joint working").check()
    page.get_by_role("button", name="Accept onto my specialist caseload").click()
    expect(page.get_by_text(re.compile(r"^Recorded: accepted"))).to_be_visible()
    assert_accessible(page, "referral accepted by the specialist")
    screenshot(page, "specialist-accepted.png")

    page.get_by_role("link", name="Specialist caseload").first.click()
    expect(page.get_by_role("link", name=re.compile(mother.full_name))).to_be_visible()
    expect(page.get_by_text(f"Health visitor: {hv.display_name}", exact=False)).to_be_visible()
    expect(page.get_by_text("Joint working since", exact=False)).to_be_visible()
    assert_accessible(page, "specialist caseload")
    screenshot(page, "specialist-caseload.png")
    assert page.problems == []

    hv_page = new_page()
    log_in(hv_page, base, hv)
    hv_page.goto(f"{base}/caseload/")
    expect(hv_page.get_by_role("cell", name=family.reference)).to_be_visible()
    assert_accessible(hv_page, "caseload of the referring health visitor")
