"""The right child and the right task in a real browser (issue 8), axe-core on every page and state:

- twins are recorded through the birth page, then a whole-family new birth visit from twin A's task
  completes both twins' tasks, after a contact about twin B from twin A's task has been refused;
- a telephone new birth visit is recorded, says it does not count, and the task stays on My work;
- an emergency flag's task shows its deadline on My work, cannot be cancelled, and closes when the
  action taken is recorded on the flag.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from pimh.contacts.models import Contact
from pimh.families import services as family_services
from pimh.screening import services as screening_services
from tests.conftest import make_family, next_nhs_number
from tests.contacts.twins import make_twins
from tests.e2e.conftest import assert_accessible, log_in
from tests.e2e.test_foundation_journey import fill_date

pytestmark = pytest.mark.browser


def test_twins_are_born_and_a_whole_family_new_birth_visit_completes_both(live_server, page, hv, team_a):
    family = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=None)
    mother = family.people.get(role="birthing_parent")
    born = timezone.localdate() - dt.timedelta(days=10)
    family_services.add_pregnancy(by=hv, family=family, mother=mother, edd=born)
    base = live_server.url
    log_in(page, base, hv)

    # The birth page records both babies, linked to the pregnancy.
    page.goto(f"{base}/families/{family.pk}/")
    assert_accessible(page, "family record with a pregnancy")
    page.get_by_role("link", name="Record the birth").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record the birth")
    assert_accessible(page, "record the birth")
    page.get_by_label("Number of babies").select_option("2")
    page.get_by_role("button", name="Change number of babies").click()
    expect(page.get_by_role("group", name="Baby 2")).to_be_visible()
    assert_accessible(page, "record the birth of twins")
    for n, name in [(1, "Ada"), (2, "Bo")]:
        baby = page.get_by_role("group", name=f"Baby {n}")
        baby.get_by_label("Given name").fill(name)
        baby.get_by_label("NHS number").fill(next_nhs_number())
        fill_date(page, f"baby{n}-date_of_birth", str(born.day), str(born.month), str(born.year))
    page.get_by_role("button", name="Save babies").click()
    expect(page.get_by_text("Birth recorded: Ada Testington and Bo Testington")).to_be_visible()
    assert_accessible(page, "family record after the birth")
    ada, bo = family.people.filter(role="infant").order_by("given_name")
    assert (ada.pregnancy_id, bo.pregnancy_id) == (family.pregnancies.get().pk,) * 2

    # My work lists both twins' visits. From Ada's task, a contact about Bo is refused; nothing is saved.
    page.goto(f"{base}/work/")
    expect(page.get_by_role("link", name=re.compile(r"^Record contact for New birth visit"))).to_have_count(2)
    assert_accessible(page, "my work with the twins' visits")
    page.goto(f"{base}/tasks/{ada.tasks.get(kind='new_birth_visit').pk}/contact/")
    assert_accessible(page, "record contact for a twin")
    page.get_by_label("Who the contact is about (optional)").select_option(str(bo.pk))
    page.get_by_role("button", name="Save contact").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text(f"This task is for {ada.full_name}")
    assert not Contact.objects.exists()
    assert_accessible(page, "record contact (another child refused)")

    # About the whole family (the default for twins): both twins are ticked; both tasks are completed.
    page.get_by_label("Who the contact is about (optional)").select_option("")
    covers = page.get_by_role("group", name=re.compile("Which children the contact covers"))
    expect(covers.get_by_label(ada.full_name)).to_be_checked()
    expect(covers.get_by_label(bo.full_name)).to_be_checked()
    page.get_by_role("button", name="Save contact").click()
    # A new birth visit is a contact where each parent present is offered screening: the prompt first.
    expect(page).to_have_url(re.compile(r"/contacts/[0-9]+/recorded/$"))
    expect(page.get_by_text("Completed: New birth visit for Ada")).to_be_visible()
    expect(page.get_by_text("Completed: New birth visit for Bo")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Screen "))).to_have_count(1)  # the mother, present by default
    assert_accessible(page, "contact recorded (screen each parent present)")
    page.get_by_role("link", name="Back to My work").click()
    expect(page.get_by_role("link", name=re.compile(r"^Record contact for New birth visit"))).to_have_count(0)
    assert sorted(family.tasks.filter(kind="new_birth_visit").values_list("status", flat=True)) == ["completed"] * 2
    assert_accessible(page, "my work after the twins' visit")
    assert page.problems == []


def test_a_telephone_new_birth_visit_is_recorded_but_leaves_the_task_open(live_server, page, hv, team_a):
    family = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=12)
    task = family.tasks.get(kind="new_birth_visit")
    base = live_server.url
    log_in(page, base, hv)
    page.goto(f"{base}/tasks/{task.pk}/contact/")
    assert_accessible(page, "record contact")
    page.get_by_label("Telephone").check()
    page.get_by_role("button", name="Save contact").click()
    expect(page).to_have_url(re.compile(r"/contacts/[0-9]+/recorded/$"))
    expect(page.get_by_text("Recorded; does not count as the new birth visit for the national metric")).to_be_visible()
    assert_accessible(page, "contact recorded after a telephone visit")
    page.get_by_role("link", name="Back to My work").click()
    expect(page.get_by_role("link", name=re.compile(r"^Record contact for New birth visit"))).to_have_count(1)
    task.refresh_from_db()
    assert task.status == "due"
    assert Contact.objects.get(family=family).mode == "telephone"
    assert_accessible(page, "my work after a telephone visit")
    assert page.problems == []


def test_an_emergency_task_follows_its_flag(live_server, page, hv, team_a):
    family, _, _ = make_twins(by=hv, team=team_a)
    mother = family.people.get(role="birthing_parent")
    flag = screening_services.raise_flag(by=hv, family=family, person=mother, reason="suspected_postpartum_psychosis")
    base = live_server.url
    log_in(page, base, hv)

    page.goto(f"{base}/work/")
    row = page.locator("table tbody tr").first
    expect(row.locator(".nhsuk-tag--red").get_by_text("Urgent", exact=True)).to_be_visible()  # beside the risk tags
    deadline = timezone.localtime(flag.deadline)
    raised = timezone.localtime(flag.raised_at)
    expect(row).to_contain_text(f"Raised {raised:%d %b %Y %H:%M}")
    expect(row).to_contain_text(f"Specialist assessment by {deadline:%d %b %Y %H:%M} (4-hour standard)")
    expect(row.get_by_role("link", name=re.compile("^Cancel"))).to_have_count(0)
    assert_accessible(page, "my work with an emergency")

    # The cancel page of the urgent task sends the practitioner to the flag's action form instead.
    page.goto(f"{base}/tasks/{flag.task_id}/cancel/")
    expect(page).to_have_url(f"{base}/flags/{flag.pk}/close/")
    expect(
        page.get_by_text("This urgent task closes only when the action taken is recorded on its flag")
    ).to_be_visible()
    flag.task.refresh_from_db()
    assert flag.task.status == "due"
    assert_accessible(page, "record action taken")

    page.goto(f"{base}/work/")
    assert_accessible(page, "my work with an emergency (again)")
    page.locator("table tbody tr").first.get_by_role("link", name=re.compile("^Record action taken")).click()
    expect(page).to_have_url(f"{base}/flags/{flag.pk}/close/")
    assert_accessible(page, "record action taken (from My work)")
    page.get_by_label("Action taken").fill("Perinatal mental health team assessed at home within 3 hours")
    page.get_by_role("button", name="Record action and clear flag").click()
    expect(page.get_by_text("Action recorded and the urgent flag cleared")).to_be_visible()
    assert_accessible(page, "family record after clearing the flag")
    flag.task.refresh_from_db()
    assert flag.task.status == "completed"
    page.goto(f"{base}/work/")
    expect(page.get_by_role("link", name=re.compile("^Record action taken"))).to_have_count(0)
    assert_accessible(page, "my work after clearing the flag")
    assert page.problems == []
