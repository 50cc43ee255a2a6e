"""The analyst's indicator pages in a real browser: build the snapshot, change quarter and breakdown,
download CSV and PDF (the PDF's first page rendered to PNG), on a phone-sized screen too; then the
team lead's own-team view. axe-clean and no CSP complaint in every state."""

from __future__ import annotations

import csv
import datetime as dt

import pypdfium2
import pytest
from playwright.sync_api import Page, expect

from pimh.core.models import User
from pimh.demo.loader import load_demo
from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_accessible, log_in, screenshot

pytestmark = pytest.mark.browser
SLOW_MS = 120_000  # a first view computes the indicators over the snapshot (a loaded 2-core machine)


def no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth") <= page.viewport_size["width"]


def demo_user(username: str) -> User:
    user = User.objects.get(username=username)
    user.set_password(PASSWORD)
    user.save()
    return user


def test_analyst_changes_quarter_and_breakdown_and_downloads(live_server, new_page, settings, tmp_path):
    settings.ANALYTICS_SNAPSHOT_DIR = tmp_path / "analytics"
    load_demo(seed=3, children=800, today=dt.date(2026, 11, 23))
    base = live_server.url
    page = new_page(viewport={"width": 390, "height": 844}, accept_downloads=True)
    page.set_default_timeout(SLOW_MS)
    log_in(page, base, demo_user("analyst"))
    page.get_by_role("link", name="Indicators").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Health visiting and PIMH indicators")
    assert_accessible(page, "indicators (no snapshot yet)")
    page.get_by_role("button", name="Build the snapshot").click()
    expect(page.locator("#snapshot-built")).to_contain_text("pseudonymised snapshot")
    expect(page.locator("#disclosure-stamp")).to_contain_text("Disclosure control: nhsd-2018")
    expect(page.get_by_role("img", name="for each team against its denominator")).to_be_visible()
    expect(page.get_by_role("img", name="in each of the eight quarters")).to_be_visible()
    expect(page.get_by_role("img", name="declined as outside the service's age criteria")).to_be_visible()
    no_sideways_scroll(page)
    assert_accessible(page, "indicators")

    page.get_by_label("Quarter", exact=True).select_option("FY2025Q4")
    page.get_by_label("Break down by", exact=True).select_option("imd_quintile")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#disclosure-stamp")).to_contain_text("FY2025Q4")
    expect(page.locator("#indicator-table caption")).to_have_text(
        "Indicators, FY2025Q4, by imd quintile (1 = most deprived)"
    )
    expect(page.locator("#indicator-table")).to_contain_text("C2: New birth visit within 14 days")
    no_sideways_scroll(page)
    assert_accessible(page, "indicators (FY2025Q4 by IMD quintile)")
    screenshot(page, "analyst-indicators-phone.png")

    with page.expect_download() as csv_download:
        page.get_by_role("link", name="CSV").click()
    with open(csv_download.value.path(), encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["quarter"] for r in rows} == {"FY2025Q4"}
    assert {r["disclosure"] for r in rows} == {"nhsd-2018"}
    assert {"1", "5", ""} <= {r["imd_quintile"] for r in rows}

    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="a PDF report").click()
    pdf = pypdfium2.PdfDocument(pdf_download.value.path())
    assert len(pdf) >= 2
    image = pdf[0].render(scale=1.5).to_pil()
    image.save(tmp_path / "indicators-page-1.png")
    low, high = image.convert("L").getextrema()
    assert image.width > 800
    assert (low, high) == (0, 255) or low < 100  # text drawn on a white page
    pdf.close()
    assert page.problems == []


def test_team_lead_sees_their_own_team_without_disclosure_control(live_server, new_page, settings, tmp_path):
    settings.ANALYTICS_SNAPSHOT_DIR = tmp_path / "analytics"
    load_demo(seed=3, children=400, today=dt.date(2026, 11, 23))
    lead = demo_user("lead")
    team = lead.teams.get().name
    base = live_server.url
    page = new_page()
    page.set_default_timeout(SLOW_MS)
    log_in(page, base, lead)
    page.goto(f"{base}/indicators/")
    assert_accessible(page, "team lead's indicators before a snapshot")
    page.get_by_role("button", name="Build the snapshot").click()
    expect(page.locator("#disclosure-stamp")).to_contain_text("Disclosure control: none")
    expect(page.locator("#indicator-table")).to_contain_text(team)
    assert page.get_by_label("Disclosure control", exact=True).count() == 0
    assert_accessible(page, "team lead's indicators (own team)")
    page.get_by_label("Break down by", exact=True).select_option("infant_age_band")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#indicator-table")).to_contain_text(f"{team}, 0-12 months")
    assert_accessible(page, "team lead's indicators")
    assert page.problems == []
