"""The printable referral letter: a PDF that opens, with the referral, consent and the referred parent's
latest screening totals (numbers only), audited, and with nothing to click."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pypdf
import pytest

from pimh.core.models import AuditEvent
from pimh.referrals import services
from pimh.screening import instruments
from pimh.screening import services as screening
from tests.conftest import make_family

CSS = Path(__file__).resolve().parents[2] / "src/pimh/core/static/pimh/pimh.css"


@pytest.fixture
def referred(hv, team_a, infant_service):
    family = make_family(by=hv, team=team_a, allocated_hv=hv)
    mother = family.people.get(role="birthing_parent")
    older = screening.record_screen(by=hv, family=family, person=mother, instrument="epds", answers=[0] * 10)
    latest = screening.record_screen(by=hv, family=family, person=mother, instrument="epds", answers=[2] * 10)
    phq = screening.record_screen(by=hv, family=family, person=mother, instrument="phq9", answers=[1] * 9)
    referral = services.create_and_send(
        by=hv,
        family=family,
        person=mother,
        service=infant_service,
        urgency="urgent",
        reason_code="depression",
        reason_text="Low mood since the birth",
        consent="not_given",
        consent_note="Safeguarding: risk to the infant",
    )
    return {"referral": referral, "older": older, "latest": latest, "phq": phq, "mother": mother}


def _pdf_text(response):
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    return reader, " ".join(page.extract_text() for page in reader.pages)


def test_the_letter_opens_and_holds_the_referral_consent_and_latest_totals(client, hv, referred):
    client.force_login(hv)
    response = client.get(f"/referrals/{referred['referral'].pk}/letter.pdf")
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    reader, text = _pdf_text(response)
    text = re.sub(r"\s+", " ", text)
    assert len(reader.pages) >= 1
    assert f"Referral to {referred['referral'].service.name}" in text
    assert referred["mother"].full_name in text
    assert "Urgent" in text and "Depression" in text and "Low mood since the birth" in text
    assert "Consent not given: Safeguarding: risk to the infant" in text
    assert f"{instruments.get('epds').name} " in text
    epds_row = re.search(
        re.escape(instruments.get("epds").name) + rf" \d\d \w\w\w \d{{4}} (\d+) {referred['latest'].cutoff} Positive",
        text,
    )
    assert epds_row is not None and int(epds_row.group(1)) == referred["latest"].total
    assert referred["older"].total != referred["latest"].total
    assert f"item 10: {referred['latest'].item_scores[9]}" in text
    assert f"item 9: {referred['phq'].item_scores[8]}" in text
    assert hv.display_name in text


def test_the_letter_has_no_links_no_actions_and_no_question_text(client, hv, referred):
    client.force_login(hv)
    reader, text = _pdf_text(client.get(f"/referrals/{referred['referral'].pk}/letter.pdf"))
    assert [page.get("/Annots") for page in reader.pages] == [None] * len(reader.pages)
    for action in ("Record decline", "Withdraw referral", "Back to the family record", "Log out"):
        assert action not in text
    item_texts = [item.text for code in ("epds", "phq9") for item in instruments.get(code).items if item.text]
    assert [t for t in item_texts if t in text] == []


def test_opening_the_letter_is_one_audited_read_of_the_referral(client, hv, referred):
    client.force_login(hv)
    client.get(f"/referrals/{referred['referral'].pk}/letter.pdf")
    reads = AuditEvent.objects.filter(user=hv, action="read")
    assert list(reads.values_list("object_type", "object_id", "family_id")) == [
        ("referrals.Referral", str(referred["referral"].pk), referred["referral"].family_id)
    ]


def test_a_health_visitor_of_another_team_cannot_open_the_letter(client, colleague_b, referred):
    client.force_login(colleague_b)
    assert client.get(f"/referrals/{referred['referral'].pk}/letter.pdf").status_code == 404
    assert not AuditEvent.objects.filter(user=colleague_b, action="read").exists()


def test_print_css_hides_action_links_buttons_and_navigation():
    css = CSS.read_text()
    print_rules = css[css.index("@media print") :]
    for selector in (".pimh-no-print", ".nhsuk-button", ".nhsuk-header", ".nhsuk-summary-list__actions"):
        assert selector in print_rules
    assert "display: none" in print_rules


def test_the_referral_page_puts_its_actions_and_letter_link_in_no_print_blocks(client, hv, draft_referral):
    client.force_login(hv)
    html = client.get(f"/referrals/{draft_referral.pk}/").content.decode()
    letter = html.index(f"/referrals/{draft_referral.pk}/letter.pdf")
    assert html.rfind('class="pimh-no-print"', 0, letter) > html.rfind("</p>", 0, letter)
    first_form = html.index('<form method="post"')
    assert html.rfind('<div class="pimh-no-print">', 0, first_form) > html.rfind("</div>", 0, first_form)
