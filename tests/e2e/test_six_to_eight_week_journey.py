"""The acceptance journey of issue 10, in a real browser, with every user action counted: a health
visitor logs in, opens the 6-8 week review from My work, records it with the father present, screens
both parents (Whooley: mother positive, father negative), acts on the mother's result (PHQ-9
positive, then the suggested referral), refers the mother and reads the notes back. At most 35
actions. The steps and the count are in docs/user-guide/health-visitor.md.

Every click, fill, check, select, key press and page.goto goes through ``Actions`` (nothing else
moves the page); axe and the 390 px overflow check run on every page state (they are not actions).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from pimh.contacts.models import Contact
from pimh.referrals.models import Referral, Service
from pimh.screening.models import Screen
from tests.conftest import PASSWORD, make_family
from tests.e2e.conftest import assert_accessible, screenshot

pytestmark = pytest.mark.browser

MAX_ACTIONS = 35
NOTES = "Baby feeding well. Mother low in mood since the birth; father supportive."


class Actions:
    """Counts what the user does; ``steps`` keeps a short description of each action in order."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.steps: list[str] = []

    def goto(self, url: str) -> None:
        self.steps.append(f"open {url}")
        self.page.goto(url)

    def click(self, target: Locator, what: str) -> None:
        self.steps.append(f"click {what}")
        target.click()

    def fill(self, target: Locator, text: str, what: str) -> None:
        self.steps.append(f"type {what}")
        target.fill(text)

    def check(self, target: Locator, what: str) -> None:
        self.steps.append(f"tick {what}")
        target.check()

    def select(self, target: Locator, value: str, what: str) -> None:
        self.steps.append(f"choose {what}")
        target.select_option(value)


def answer(act: Actions, page: Page, scores: list[int]) -> None:
    for n, score in enumerate(scores, start=1):
        act.check(page.locator(f"input[name=item_{n}][value='{score}']"), f"item {n}: {score}")


def test_six_to_eight_week_review_father_present_both_screened_mother_referred(live_server, page, hv, team_a):
    family = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=45)
    mother = family.people.get(role="birthing_parent")
    father = family.people.get(role="father")
    service = Service.objects.create(name="Community perinatal mental health team", kind="perinatal_mh_team")
    base = live_server.url
    act = Actions(page)

    act.goto(f"{base}/login/")
    assert_accessible(page, "login")
    act.fill(page.get_by_label("Username"), hv.username, "username")
    act.fill(page.get_by_label("Password"), PASSWORD, "password")
    act.click(page.get_by_role("button", name="Log in"), "Log in")
    expect(page).to_have_url(f"{base}/work/")
    assert_accessible(page, "My work")

    # The review, from My work: type, date (today), face to face and attended are filled in.
    act.click(page.get_by_role("link", name=re.compile(r"^Record contact for 6 to 8 week review")), "Record contact")
    expect(page.locator("#id_contact_type")).to_have_value("six_to_eight_week")
    act.check(page.get_by_label(f"{mother.full_name} (Birthing parent (mother))"), "the mother present")
    act.check(page.get_by_label(f"{father.full_name} (Father)"), "the father present")
    act.fill(page.get_by_label("Notes (optional)"), NOTES, "the notes")
    assert_accessible(page, "record the 6-8 week review")
    screenshot(page, "hv-record-contact.png")
    act.click(page.get_by_role("button", name="Save contact"), "Save contact")

    # The prompt: screen each parent present; the link opens the Whooley questions for the mother.
    expect(page).to_have_url(re.compile(r"/contacts/[0-9]+/recorded/$"))
    expect(page.get_by_role("heading", name="Screen each parent present")).to_be_visible()
    assert_accessible(page, "contact recorded: screen each parent present")
    screenshot(page, "hv-screen-prompt.png")
    act.click(page.get_by_role("link", name=re.compile(f"^Screen {mother.full_name}")), "Screen (mother)")
    expect(page.get_by_role("heading", level=1)).to_have_text("Whooley questions")
    assert_accessible(page, "Whooley questions (mother)")
    answer(act, page, [1, 1])
    act.click(page.get_by_role("button", name="Save questionnaire"), "Save questionnaire")
    expect(page.get_by_text("Positive").first).to_be_visible()
    assert_accessible(page, "Whooley result (mother, positive)")
    screenshot(page, "hv-whooley-positive.png")

    # Act on it: accept the full assessment and record the PHQ-9 at once.
    act.click(page.get_by_role("button", name="Accept and record the PHQ-9 now"), "Accept and record the PHQ-9 now")
    expect(page.get_by_role("heading", level=1)).to_have_text("Patient Health Questionnaire 9-item (PHQ-9)")
    assert_accessible(page, "PHQ-9 (mother)")
    answer(act, page, [2, 2, 2, 1, 1, 1, 1, 1, 0])
    act.click(page.get_by_role("button", name="Save questionnaire"), "Save questionnaire")
    expect(page.get_by_role("heading", level=1)).to_have_text("Patient Health Questionnaire 9-item (PHQ-9) result")
    assert_accessible(page, "PHQ-9 result (mother, positive)")
    screenshot(page, "hv-phq9-result.png")

    # The suggested referral: the form comes filled in for the mother (reason, routine).
    act.click(page.get_by_role("button", name="Accept and make the referral"), "Accept and make the referral")
    expect(page.get_by_role("heading", level=1)).to_have_text("Refer to a service")
    expect(page.get_by_label("Who is being referred")).to_have_value(str(mother.pk))
    act.select(page.get_by_label("Service"), str(service.pk), "the service")
    act.check(page.get_by_label("Consent given", exact=True), "consent given")
    assert_accessible(page, "referral form (filled in)")
    act.click(page.get_by_role("button", name="Send referral"), "Send referral")
    expect(page.get_by_text(f"Referral to {service.name} sent")).to_be_visible()
    assert_accessible(page, "referral sent")

    # Back to the contact: its page reads the notes back, shows the father present, and links his screen.
    act.click(page.get_by_role("link", name="Back to the family record"), "Back to the family record")
    assert_accessible(page, "family record")
    act.click(page.get_by_role("link", name=re.compile(r"^6 to 8 week review")).first, "the 6 to 8 week review")
    expect(page).to_have_url(re.compile(r"/contacts/[0-9]+/$"))
    assert_accessible(page, "contact read back (father not yet screened)")
    act.click(page.get_by_role("link", name=re.compile(f"^Screen {father.full_name}")), "Screen (father)")
    answer(act, page, [0, 0])
    assert_accessible(page, "Whooley questions (father)")
    act.click(page.get_by_role("button", name="Save questionnaire"), "Save questionnaire")
    expect(page.get_by_text("Negative").first).to_be_visible()
    assert_accessible(page, "Whooley result (father, negative)")
    act.click(page.get_by_role("link", name="Back to the contact"), "Back to the contact")
    expect(page.get_by_text(NOTES)).to_be_visible()
    expect(page.get_by_text(father.full_name).first).to_be_visible()
    assert_accessible(page, "contact read back (both parents screened)")
    screenshot(page, "hv-contact-read-back.png")

    contact = Contact.objects.get(family=family)
    infant = family.people.get(role="infant")  # the baby the review is about is ticked already
    assert set(contact.present.values_list("pk", flat=True)) == {mother.pk, father.pk, infant.pk}
    assert list(Screen.objects.filter(contact=contact).order_by("pk").values_list("person", "instrument")) == [
        (mother.pk, "whooley"),
        (mother.pk, "phq9"),
        (father.pk, "whooley"),
    ]
    assert list(Referral.objects.values_list("person", "service")) == [(mother.pk, service.pk)]
    assert family.tasks.get(kind="six_to_eight_week").status == "completed"
    print(f"\n{len(act.steps)} actions:\n" + "\n".join(f"{n}. {s}" for n, s in enumerate(act.steps, start=1)))
    assert len(act.steps) <= MAX_ACTIONS, act.steps
    assert page.problems == []
