"""The foundation journey in a real browser: a health visitor logs in, finds their caseload,
opens a family, and registers a new one (getting an error wrong first), with axe-core checking
every page for WCAG 2.2 A/AA problems. Also: another team gets a 404, and it all works without
JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from pimh.families.models import Family, Person
from tests.conftest import PASSWORD, make_family, next_nhs_number
from tests.e2e.conftest import assert_accessible, log_in, screenshot

pytestmark = pytest.mark.browser

INVALID_NHS_NUMBER = "999 000 0017"  # right length, wrong check digit


def spaced(nhs_number: str) -> str:
    return f"{nhs_number[:3]} {nhs_number[3:6]} {nhs_number[6:]}"


def parent_names(family: Family) -> str:
    """How pages name a family: its adults, in role order, joined with "and"."""
    adults = family.people.exclude(role="infant").order_by("role", "date_of_birth", "pk")
    return " and ".join(person.full_name for person in adults)


def fill_date(page: Page, field: str, day: str, month: str, year: str) -> None:
    page.locator(f"#id_{field}_day").fill(day)
    page.locator(f"#id_{field}_month").fill(month)
    page.locator(f"#id_{field}_year").fill(year)


def test_health_visitor_logs_in_opens_a_family_and_registers_another(live_server, page, hv, team_a):
    family = make_family(by=hv, team=team_a, allocated_hv=hv)
    base = live_server.url

    # Log in: an anonymous visit goes to the login form.
    page.goto(f"{base}/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in to PIMH Pathway")
    assert_accessible(page, "login")
    page.get_by_label("Username").fill(hv.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    # A health visitor lands on "My work"; the caseload is one click away.
    expect(page).to_have_url(f"{base}/work/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    assert_accessible(page, "My work")
    page.get_by_role("link", name="My caseload").click()
    expect(page).to_have_url(f"{base}/caseload/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My caseload")
    expect(page).to_have_title("My caseload \N{EN DASH} PIMH Pathway")
    # The NHS.UK stylesheet loaded (static files served, not refused by the CSP): the header is NHS blue.
    expect(page.locator("header.nhsuk-header")).to_have_css("background-color", "rgb(0, 94, 184)")
    expect(page.get_by_role("navigation", name="Account")).to_contain_text("Hannah Tester (Health visitor)")
    # Families are listed by their parents' names, with the reference beside.
    family_link = page.get_by_role("link", name=parent_names(family), exact=True)
    expect(family_link).to_be_visible()
    expect(page.get_by_role("cell", name=family.reference)).to_be_visible()
    assert_accessible(page, "caseload")
    screenshot(page, "caseload.png")

    # The family record.
    family_link.click()
    expect(page).to_have_url(f"{base}/families/{family.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(parent_names(family))
    expect(page.get_by_role("heading", name="People")).to_be_visible()
    assert_accessible(page, "family record")
    screenshot(page, "family.png")

    # Register a family, from the header navigation.
    page.get_by_role("link", name="Register a family").first.click()
    expect(page).to_have_url(f"{base}/families/register/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Register a family")
    expect(page.locator("#id_allocated_hv")).to_have_value(str(hv.pk))
    assert_accessible(page, "register a family (empty)")

    # First try: no given name, an NHS number with the wrong check digit, no date of birth.
    page.locator("#id_parent_family_name").fill("Okafor")
    page.locator("#id_parent_nhs_number").fill(INVALID_NHS_NUMBER)
    families_before = Family.objects.count()
    page.get_by_role("button", name="Register family").click()

    expect(page).to_have_url(f"{base}/families/register/")
    expect(page).to_have_title(re.compile(r"^Error: Register a family"))
    summary = page.locator(".nhsuk-error-summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(summary).to_be_focused()  # NHS.UK frontend moves focus to the summary
    links = summary.get_by_role("link")
    expect(links).to_have_count(3)
    hrefs = [links.nth(i).get_attribute("href") for i in range(3)]
    assert hrefs == ["#id_parent_given_name", "#id_parent_nhs_number", "#id_parent_date_of_birth_day"]
    expect(links.nth(0)).to_have_text("Enter the birthing parent's given name")
    expect(links.nth(1)).to_contain_text("not a valid NHS number")
    expect(links.nth(2)).to_have_text("Enter the birthing parent's date of birth")
    # Each field shows its own error, tied to the input for screen readers.
    given_name = page.locator("#id_parent_given_name")
    expect(page.locator("#id_parent_given_name-error")).to_contain_text("Enter the birthing parent's given name")
    expect(given_name).to_have_attribute("aria-describedby", re.compile(r"id_parent_given_name-error"))
    expect(page.locator("#id_parent_nhs_number-error")).to_contain_text("not a valid NHS number")
    expect(page.locator("#id_parent_date_of_birth-error")).to_contain_text("Enter the birthing parent's date of birth")
    # What was typed is kept.
    expect(page.locator("#id_parent_family_name")).to_have_value("Okafor")
    expect(page.locator("#id_parent_nhs_number")).to_have_value(INVALID_NHS_NUMBER)
    assert Family.objects.count() == families_before
    assert_accessible(page, "register a family (with errors)")
    screenshot(page, "register-errors.png")

    # The summary's link takes you to the field.
    links.nth(0).click()
    expect(given_name).to_be_focused()

    # Correct it and register.
    nhs_number = next_nhs_number()
    given_name.fill("Amara")
    page.locator("#id_parent_nhs_number").fill(spaced(nhs_number))
    fill_date(page, "parent_date_of_birth", "15", "3", "1994")
    page.get_by_role("button", name="Register family").click()

    expect(page).to_have_url(re.compile(rf"^{re.escape(base)}/families/\d+/$"))
    new_family = Person.objects.get(nhs_number=nhs_number).family
    expect(page).to_have_url(f"{base}/families/{new_family.pk}/")
    expect(page.get_by_text(f"Family {new_family.reference} registered")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Amara Okafor")
    expect(page.get_by_role("cell", name=spaced(nhs_number))).to_be_visible()
    expect(page.get_by_role("cell", name="15 Mar 1994")).to_be_visible()
    assert new_family.team == team_a
    assert new_family.allocated_hv == hv
    assert_accessible(page, "new family's record")

    # No refused scripts or styles (CSP), missing assets or script errors along the way.
    assert page.problems == []

    # Log out from the header.
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(f"{base}/login/")
    assert_accessible(page, "login after logging out")
    page.goto(f"{base}/caseload/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/caseload/$"))
    assert_accessible(page, "login (a page that needs it)")


def test_a_colleague_in_another_team_gets_not_found_for_the_family(live_server, page, hv, team_a, colleague_b):
    family = make_family(by=hv, team=team_a, allocated_hv=hv)
    log_in(page, live_server.url, colleague_b)
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")

    response = page.goto(f"{live_server.url}/families/{family.pk}/")

    assert response is not None
    assert response.status == 404
    body = page.locator("body")
    expect(body).not_to_contain_text(parent_names(family))
    expect(body).not_to_contain_text(family.reference)
    expect(page.get_by_role("heading", name="People")).to_have_count(0)
    assert_accessible(page, "not found")


def test_log_in_and_register_a_family_without_javascript(live_server, new_page, hv, team_a):
    page = new_page(java_script_enabled=False)
    log_in(page, live_server.url, hv)
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    page.get_by_role("link", name="Register a family").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register a family")

    # An error comes back from the server as an error summary...
    page.get_by_role("button", name="Register family").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()

    # ...and a correct form registers the family.
    nhs_number = next_nhs_number()
    page.locator("#id_parent_given_name").fill("Priya")
    page.locator("#id_parent_family_name").fill("Shah")
    page.locator("#id_parent_nhs_number").fill(nhs_number)
    fill_date(page, "parent_date_of_birth", "2", "11", "1990")
    page.locator("#id_second_role").select_option(label="Father")
    page.locator("#id_second_given_name").fill("Dev")
    page.locator("#id_second_family_name").fill("Shah")
    page.get_by_role("button", name="Register family").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Priya Shah and Dev Shah")
    family = Person.objects.get(nhs_number=nhs_number).family
    expect(page).to_have_url(f"{live_server.url}/families/{family.pk}/")
    assert sorted(family.people.values_list("role", flat=True)) == ["birthing_parent", "father"]
    assert page.problems == []
