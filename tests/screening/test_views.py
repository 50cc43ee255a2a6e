"""Screening pages: forms, EPDS without item text, urgent banner, decisions, scoping."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from pimh.contacts import services as contact_services
from pimh.families.models import PersonRole
from pimh.screening import services
from pimh.screening.models import Decision, FlagStatus, Screen, UrgentFlag
from tests.conftest import login_verified


@pytest.fixture
def mother(family_a):
    return family_a.people.get(role=PersonRole.BIRTHING_PARENT)


@pytest.fixture
def father(family_a):
    return family_a.people.get(role=PersonRole.FATHER)


@pytest.fixture
def visit(hv, family_a, mother, father):
    infant = family_a.people.get(role=PersonRole.INFANT)
    return contact_services.record_contact(
        by=hv,
        family=family_a,
        data=contact_services.ContactData(
            contact_type="new_birth_visit",
            date=timezone.localdate(),
            subject_id=infant.pk,
            present_ids=(mother.pk, father.pk, infant.pk),
        ),
    )


def add_url(family, person, instrument, contact=None):
    url = f"/families/{family.pk}/screens/add/?person={person.pk}&instrument={instrument}"
    return url + (f"&contact={contact.pk}" if contact else "")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "svg"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "svg"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.chunks.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.chunks)


def test_choose_page_offers_mother_and_father_equally(client, hv, family_a, mother, father):
    client.force_login(hv)
    page = client.get(f"/families/{family_a.pk}/screens/add/")
    assert page.status_code == 200
    text = page.content.decode()
    assert mother.full_name in text and father.full_name in text
    infant = family_a.people.get(role=PersonRole.INFANT)
    assert f'value="{infant.pk}"' not in text


def test_epds_form_shows_item_numbers_and_neutral_labels_only(client, hv, family_a, mother):
    client.force_login(hv)
    html = client.get(add_url(family_a, mother, "epds")).content.decode()
    start = html.index('<div class="pimh-items">')
    end = html.index('name="concern"', start)
    between = visible_text(html[start:end])
    words = set(re.findall(r"[A-Za-z]+", between))
    assert words <= {"Item", "Response", "A", "B", "C", "D"}, words - {"Item", "Response", "A", "B", "C", "D"}
    for n in range(1, 11):
        assert f"Item {n}" in between
    # Whole page: no instrument stem or option labels of other questionnaires leak in.
    assert "Not at all" not in html


def test_epds_text_pack_is_used_when_configured(client, hv, family_a, mother, settings, tmp_path):
    pack = tmp_path / "pack.json"
    pack.write_text("{" + ",".join(f'"{n}": "Pack item {n}"' for n in range(1, 11)) + "}")
    settings.EPDS_TEXT_PACK = str(pack)
    client.force_login(hv)
    html = client.get(add_url(family_a, mother, "epds")).content.decode()
    assert "Pack item 10" in html


def test_phq9_shows_public_domain_text(client, hv, family_a, mother):
    client.force_login(hv)
    html = client.get(add_url(family_a, mother, "phq9")).content.decode()
    assert "Little interest or pleasure in doing things" in html
    assert "Nearly every day" in html


def test_father_screened_from_the_same_contact_as_mother(client, hv, family_a, mother, father, visit):
    client.force_login(hv)
    for person in (mother, father):
        response = client.post(add_url(family_a, person, "whooley", visit), {"item_1": "1", "item_2": "0"})
        assert response.status_code == 302
    screens = Screen.objects.filter(contact=visit)
    assert {s.person for s in screens} == {mother, father}
    assert all(s.positive for s in screens)


def test_incomplete_form_saves_without_total(client, hv, family_a, mother):
    client.force_login(hv)
    response = client.post(add_url(family_a, mother, "gad7"), {"item_1": "2"})
    assert response.status_code == 302
    screen = Screen.objects.get()
    assert screen.total is None and screen.missing_items == [2, 3, 4, 5, 6, 7]
    page = client.get(response["Location"]).content.decode()
    assert "Undetermined: complete the questionnaire" in page
    assert "At least 2 (incomplete: items 2, 3, 4, 5, 6, 7 not answered)" in page


def test_risk_item_banner_and_closing_needs_action(client, hv, family_a, mother):
    client.force_login(hv)
    client.post(add_url(family_a, mother, "phq9"), {f"item_{n}": "0" for n in range(1, 9)} | {"item_9": "2"})
    flag = UrgentFlag.objects.get()
    record = client.get(f"/families/{family_a.pk}/").content.decode()
    assert "Urgent flags" in record
    assert f"/flags/{flag.pk}/close/" in record
    refused = client.post(f"/flags/{flag.pk}/close/", {"action_taken": ""})
    assert refused.status_code == 200
    assert "Enter the action taken" in refused.content.decode()
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN
    done = client.post(f"/flags/{flag.pk}/close/", {"action_taken": "GP contacted, same-day appointment"})
    assert done.status_code == 302
    flag.refresh_from_db()
    assert flag.status == FlagStatus.CLOSED
    assert "Urgent flags" not in client.get(f"/families/{family_a.pk}/").content.decode()


def test_emergency_flag_banner(client, hv, family_a, mother):
    client.force_login(hv)
    form_page = client.get(f"/families/{family_a.pk}/flags/add/").content.decode()
    assert "Raise urgent flag</button>" in " ".join(form_page.split()).replace(" </button>", "</button>")
    response = client.post(
        f"/families/{family_a.pk}/flags/add/", {"person": str(mother.pk), "reason": "suspected_postpartum_psychosis"}
    )
    assert response.status_code == 302
    record = client.get(f"/families/{family_a.pk}/").content.decode()
    assert "Emergency: specialist assessment within 4 hours" in record


def test_decide_suggestion_accept_and_override(client, hv, family_a, mother, father):
    client.force_login(hv)
    first = services.record_screen(by=hv, family=family_a, person=mother, instrument="whooley", answers=[1, 0])
    second = services.record_screen(by=hv, family=family_a, person=father, instrument="gad2", answers=[2, 2])
    s1, s2 = first.suggestions.get(), second.suggestions.get()
    detail = client.get(f"/screens/{first.pk}/").content.decode()
    assert "EPDS or PHQ-9, and GAD-7" in detail
    assert client.post(f"/suggestions/{s1.pk}/decide/", {"decision": "accept"}).status_code == 302
    refused = client.post(f"/suggestions/{s2.pk}/decide/", {"decision": "override", "reason": ""})
    assert refused.status_code == 400
    ok = client.post(f"/suggestions/{s2.pk}/decide/", {"decision": "override", "reason": "Already under the GP"})
    assert ok.status_code == 302
    s1.refresh_from_db()
    s2.refresh_from_db()
    assert s1.decision == Decision.ACCEPTED and s1.task.due_by == timezone.localdate() + dt.timedelta(days=14)
    assert s2.decision == Decision.OVERRIDDEN


def test_relationship_page(client, hv, family_a, father):
    client.force_login(hv)
    infant = family_a.people.get(role=PersonRole.INFANT)
    assert client.get(f"/families/{family_a.pk}/relationship/add/").status_code == 200
    response = client.post(
        f"/families/{family_a.pk}/relationship/add/",
        {
            "parent": str(father.pk),
            "infant": str(infant.pk),
            "judgement": "some_concern",
            "observations": ["little_interaction"],
        },
    )
    assert response.status_code == 302
    assert family_a.tasks.filter(kind="relationship_follow_up").exists()


def test_history_chart_and_table_on_family_record(client, hv, family_a, mother):
    client.force_login(hv)
    for answers in ([1] * 9, [2] * 8 + [0], [0] * 9):
        services.record_screen(by=hv, family=family_a, person=mother, instrument="phq9", answers=answers)
    html = client.get(f"/families/{family_a.pk}/").content.decode()
    assert '<svg width="320"' in html and 'role="img"' in html
    assert "<polyline" in html and 'stroke-dasharray="4 3"' in html
    assert " style=" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]
    history = html.split("positive from", 1)[1].split("</table>", 1)[0]
    # The responsive pattern: each cell starts with its column heading (shown on a phone).
    totals = re.findall(r"Total </span>(\d+)</td>", history)
    assert sorted(totals, key=int) == ["0", "9", "16"]


def test_lead_sees_open_flags_of_own_teams_only(client, hv, lead, family_a, family_b, colleague_b, mother):
    services.raise_flag(by=hv, family=family_a, person=mother, reason="change_in_mental_state")
    other_mother = family_b.people.get(role=PersonRole.BIRTHING_PARENT)
    services.raise_flag(by=colleague_b, family=family_b, person=other_mother, reason="violent_self_harm")
    client.force_login(lead)
    page = client.get("/team/urgent-flags/").content.decode()
    assert family_a.reference in page
    assert family_b.reference not in page
    client.force_login(hv)
    assert client.get("/team/urgent-flags/").status_code == 403


@pytest.mark.parametrize("persona", ["colleague_b", "analyst", "outsider"])
def test_screening_urls_refused_outside_scope(request, client, persona, hv, family_a, mother):
    screen = services.record_screen(by=hv, family=family_a, person=mother, instrument="phq9", answers=[1] * 9)
    whooley = services.record_screen(by=hv, family=family_a, person=mother, instrument="whooley", answers=[1, 1])
    flag = screen.flags.get()
    login_verified(client, request.getfixturevalue(persona))
    urls = [
        add_url(family_a, mother, "phq9"),
        f"/families/{family_a.pk}/flags/add/",
        f"/families/{family_a.pk}/relationship/add/",
        f"/screens/{screen.pk}/",
        f"/suggestions/{whooley.suggestions.get().pk}/decide/",
        f"/flags/{flag.pk}/close/",
    ]
    for url in urls:
        assert client.get(url).status_code in (403, 404), url
        assert client.post(url, {"action_taken": "x", "decision": "accept"}).status_code in (403, 404), url
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN


def test_record_another_questionnaire_opens_without_an_error(client, hv, family_a, mother):
    screen = services.record_screen(by=hv, family=family_a, person=mother, instrument="whooley", answers=[0, 0])
    client.force_login(hv)
    link = f"/families/{family_a.pk}/screens/add/?person={mother.pk}"
    assert link.replace("&", "&amp;") in client.get(f"/screens/{screen.pk}/").content.decode()
    page = client.get(link).content.decode()
    assert "nhsuk-error-message" not in page and "There is a problem" not in page
    assert f'value="{mother.pk}" checked' in page


def test_a_cleared_flag_no_longer_shows_the_urgent_callout(client, hv, family_a, mother):
    screen = services.record_screen(by=hv, family=family_a, person=mother, instrument="phq9", answers=[1] * 9)
    client.force_login(hv)
    assert "Urgent: " in client.get(f"/screens/{screen.pk}/").content.decode()
    services.close_flag(by=hv, flag=screen.flags.get(), action_taken="Spoke to the GP; same-day review booked")
    page = client.get(f"/screens/{screen.pk}/").content.decode()
    assert "Urgent: " not in page
    assert "Urgent flag cleared" in page and "Spoke to the GP; same-day review booked" in page
