"""The team lead's weighted caseloads in a real browser: from the team view to the page, a part-time
health visitor over the line, then "what if" two of her families moved; axe-clean throughout."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from pimh.families.models import Family
from tests.conftest import make_family, make_user
from tests.e2e.conftest import assert_accessible, log_in, screenshot

pytestmark = pytest.mark.browser


def test_lead_sees_weighted_caseloads_and_models_a_move(live_server, new_page, hv, lead, team_a, monkeypatch):
    from pimh.workforce import views

    monkeypatch.setattr(views, "FAMILIES_PAGE_SIZE", 2)  # Petra's three families: two pages
    petra = make_user("petra", "hv", team_a, wte=Decimal("0.01"))
    families = sorted(
        (make_family(by=hv, team=team_a, allocated_hv=petra) for _ in range(3)), key=lambda f: f.reference
    )
    make_family(by=hv, team=team_a, allocated_hv=hv)
    base = live_server.url

    page = new_page()
    log_in(page, base, lead)  # a team lead lands on Team
    expect(page).to_have_url(f"{base}/team/")
    screenshot(page, "team.png")
    page.get_by_role("link", name="Weighted caseloads").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Weighted caseloads")
    expect(page.get_by_role("img", name="Weighted caseload per WTE by practitioner")).to_be_visible()
    over = page.locator(f'#caseloads tr[data-practitioner="{petra.pk}"]')
    expect(over).to_contain_text("Over")
    expect(page.locator(f'#caseloads tr[data-practitioner="{hv.pk}"]')).not_to_contain_text("Over")
    assert_accessible(page, "weighted caseloads")
    screenshot(page, "weighted-caseloads.png")

    page.get_by_label("Move families from").select_option(str(petra.pk))
    page.get_by_role("button", name="Show their families").click()
    for family in families[:2]:
        page.get_by_label(family.reference, exact=False).check()
    page.get_by_label("Move them to").select_option(str(hv.pk))
    assert_accessible(page, "weighted caseloads (families listed)")
    page.get_by_role("button", name="Show the effect").click()

    table = page.locator("#before-after")
    expect(table).to_contain_text("Petra Tester")
    expect(table.locator("tr", has_text="Petra Tester")).to_contain_text("3")
    expect(page.get_by_text("nothing has been saved")).to_be_visible()
    assert_accessible(page, "weighted caseloads (what if)")

    # The third family is on the second page; the two chosen on the first stay chosen.
    page.get_by_role("link", name="Next").click()
    expect(page.get_by_label(families[2].reference, exact=False)).not_to_be_checked()
    expect(page.get_by_label(families[0].reference, exact=False)).to_have_count(0)
    page.get_by_label(families[2].reference, exact=False).check()
    assert_accessible(page, "weighted caseloads (second page of families)")
    page.get_by_role("button", name="Show the effect").click()
    expect(page.get_by_text("Moving 3 families")).to_be_visible()
    expect(page.locator("#before-after tr", has_text="Petra Tester")).to_contain_text("Children after 0")
    assert_accessible(page, "weighted caseloads (what if, three families)")
    assert sorted(Family.objects.filter(allocated_hv=petra).values_list("pk", flat=True)) == sorted(
        f.pk for f in families
    )
    assert page.problems == []


def test_analyst_sees_the_workforce_model_for_each_area(live_server, new_page, analyst, settings, tmp_path):
    import datetime as dt

    from tests.workforce.fixtures import child, write_snapshot

    rows = [child(i, dt.date(2023, 1 + i % 12, 1 + i % 28), decile=1 + i % 10) for i in range(400)]
    rows += [child(1000 + i, dt.date(2024, 3, 1 + i % 28), la="E06000002") for i in range(200)]
    staff = [{"practitioner_id": "p1", "team_id": "T1", "role": "hv", "wte": 1.2, "band": "6"}]
    teams = [{"team_id": "T1", "name": "North", "local_authority": "E06000001"}]
    settings.WORKFORCE_SNAPSHOT_DIR = str(write_snapshot(tmp_path / "snap", rows, staff=staff, teams=teams))

    page = new_page()
    log_in(page, live_server.url, analyst)
    page.get_by_role("link", name="Workforce").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Workforce model")
    expect(
        page.get_by_role("img", name="WTE health visitors required (5th to 95th percentile) and in post, by area")
    ).to_be_visible()
    expect(page.locator("#areas-table")).to_contain_text("E06000002")
    assert_accessible(page, "workforce model")

    # The commissioner runs a scenario and downloads the PDF of it.
    page.get_by_label("Scenario").select_option("halve_universal_extra_contacts")
    page.get_by_role("button", name="Run scenario").click()
    expect(page.locator("#scenario-change")).to_contain_text("-")
    expect(page.get_by_role("columnheader", name="Change from baseline (median)")).to_be_visible()
    assert_accessible(page, "workforce model with a scenario")
    with page.expect_download(timeout=90_000) as download_info:  # WeasyPrint on a busy 2-core machine
        page.get_by_role("link", name="Download as PDF").click()
    pdf = download_info.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    assert page.problems == []
