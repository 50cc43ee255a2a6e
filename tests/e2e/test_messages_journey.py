"""Talking through the record in a real browser: the health visitor posts a message on the family's
record, the specialist health visitor reads it and replies with a consultation note, and the health
visitor reads the reply. Each page is checked with axe, and the thread also at 390 px wide."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from pimh.referrals.models import RecordMessage
from tests.conftest import make_family
from tests.e2e.conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser


def test_hv_posts_and_the_specialist_reads_and_replies(live_server, new_page, hv, specialist, team_a):
    family = make_family(by=hv, team=team_a, allocated_hv=hv)
    base = live_server.url

    page = new_page()
    log_in(page, base, hv)
    page.wait_for_load_state("networkidle")
    page.goto(f"{base}/families/{family.pk}/")
    assert_accessible(page, "family record")
    page.get_by_role("link", name="Read and add messages").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Messages and consultation notes")
    assert_accessible(page, "messages (empty)")
    page.get_by_label("Message text").fill("Mum tearful at the 6-8 week review.\nCould we talk it through?")
    page.get_by_role("button", name="Add to the record").click()
    expect(page.get_by_text("Added to the family's messages")).to_be_visible()
    expect(page.get_by_role("heading", name=f"Message from {hv.display_name}")).to_be_visible()
    assert_accessible(page, "messages (one message)")
    assert page.problems == []

    sphv = new_page()
    log_in(sphv, base, specialist)
    sphv.wait_for_load_state("networkidle")
    sphv.goto(f"{base}/families/{family.pk}/messages/")
    assert_accessible(sphv, "messages (as the specialist)")
    first = sphv.locator(".pimh-notes").first
    expect(first).to_have_text("Mum tearful at the 6-8 week review.\nCould we talk it through?")
    assert first.inner_text().count("\n") == 1  # the line break is shown, not run together
    sphv.get_by_label("Consultation note").check()
    sphv.get_by_label("Message text").fill("Discussed with Hannah: joint visit next week.")
    sphv.get_by_role("button", name="Add to the record").click()
    expect(sphv.get_by_role("heading", name=f"Consultation note from {specialist.display_name}")).to_be_visible()
    assert_accessible(sphv, "messages (reply)")
    assert sphv.problems == []

    phone = new_page(viewport={"width": 390, "height": 844})
    log_in(phone, base, hv)
    phone.wait_for_load_state("networkidle")
    phone.goto(f"{base}/families/{family.pk}/messages/")
    expect(phone.get_by_text("Discussed with Hannah: joint visit next week.")).to_be_visible()
    assert_accessible(phone, "messages at 390 px")
    assert phone.problems == []
    assert list(RecordMessage.objects.values_list("author__username", "kind")) == [
        (hv.username, "message"),
        (specialist.username, "consultation"),
    ]
