"""Screening safety on the pages: undetermined results, the cut-off applied, interpreters, and a referral
suggestion that opens the referral form pre-filled."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from pimh.families.models import PersonRole
from pimh.screening import instruments, services
from pimh.screening.models import Screen
from tests.screening.test_instruments import answers_for_total
from tests.screening.test_views import add_url, visible_text


@pytest.fixture
def mother(family_a):
    return family_a.people.get(role=PersonRole.BIRTHING_PARENT)


@pytest.fixture
def father(family_a):
    return family_a.people.get(role=PersonRole.FATHER)


def form_data(code, total):
    answers = answers_for_total(instruments.get(code), total)
    return {f"item_{n}": str(a) for n, a in enumerate(answers, start=1)}


def test_undetermined_screen_page_warns_and_never_says_negative(client, hv, family_a, mother):
    client.force_login(hv)
    response = client.post(add_url(family_a, mother, "gad2"), {"item_1": "1"})
    text = visible_text(client.get(response["Location"]).content.decode())
    assert "Undetermined: complete the questionnaire" in text
    assert "Do not treat this as a negative screen" in text
    assert "At least 1 (incomplete: items 2 not answered)" in text
    record = visible_text(client.get(f"/families/{family_a.pk}/").content.decode())
    assert "Undetermined: complete the questionnaire" in record
    assert "negative" not in record.lower()


def test_father_result_page_shows_his_cut_off(client, hv, family_a, father):
    client.force_login(hv)
    response = client.post(add_url(family_a, father, "epds"), form_data("epds", 10))
    text = visible_text(client.get(response["Location"]).content.decode())
    assert "probable depression" in text
    assert "Positive from 10 (Father)" in text
    assert "Offer listening visits: a course of 6" in text


def test_interpreter_is_recorded_from_the_form_and_shown_with_its_caveat(client, hv, family_a, mother):
    client.force_login(hv)
    refused = client.post(
        add_url(family_a, mother, "whooley"), {"item_1": "0", "item_2": "0", "interpreter_used": "on"}
    )
    assert refused.status_code == 200
    assert "Enter the language the questionnaire was interpreted into" in refused.content.decode()
    assert not Screen.objects.exists()
    response = client.post(
        add_url(family_a, mother, "whooley"),
        {"item_1": "0", "item_2": "0", "interpreter_used": "on", "interpreter_language": "Bengali"},
    )
    screen = Screen.objects.get()
    assert (screen.interpreter_used, screen.interpreter_language) == (True, "Bengali")
    text = visible_text(client.get(response["Location"]).content.decode())
    assert "Used (Bengali)" in text
    assert "cut-offs were validated for the questionnaire in its original language" in text


def test_accepting_a_referral_suggestion_opens_the_referral_form_pre_filled(client, hv, family_a, mother):
    client.force_login(hv)
    screen = services.record_screen(
        by=hv, family=family_a, person=mother, instrument="phq9", answers=answers_for_total(instruments.get("phq9"), 21)
    )
    suggestion = screen.suggestions.get()
    response = client.post(f"/suggestions/{suggestion.pk}/decide/", {"decision": "accept"})
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == f"/families/{family_a.pk}/referrals/add/"
    assert parse_qs(location.query) == {"person": [str(mother.pk)], "reason": ["depression"], "urgency": ["urgent"]}
    html = client.get(response["Location"]).content.decode()
    assert re.search(rf'<option value="{mother.pk}" selected\s*>', html)
    assert re.search(r'<option value="depression" selected\s*>', html)
    assert re.search(r'value="urgent" checked\s*>', html)


def test_referral_form_ignores_query_values_that_are_not_choices(client, hv, family_a, family_b):
    client.force_login(hv)
    stranger = family_b.people.get(role=PersonRole.BIRTHING_PARENT)
    html = client.get(
        f"/families/{family_a.pk}/referrals/add/?person={stranger.pk}&reason=nonsense&urgency=whenever"
    ).content.decode()
    people = html.split('name="person"')[1].split("</select>")[0]
    assert f'value="{stranger.pk}"' not in people
    assert not re.search(r"selected\s*>", people)
    assert not re.search(r"selected\s*>", html.split('name="reason_code"')[1].split("</select>")[0])
    assert re.search(r'value="routine" checked\s*>', html)


def test_each_suggestion_form_has_ids_of_its_own(client, hv, family_a, mother):
    client.force_login(hv)
    response = client.post(add_url(family_a, mother, "gad7"), form_data("gad7", 12))
    html = client.get(response["Location"]).content.decode()
    ids = re.findall(r'id="(id_[^"]*decision[^"]*)"', html)
    assert len(ids) == 3 * 2  # three suggestions, two options each
    assert len(set(ids)) == len(ids)


def test_unanswered_risk_item_page_says_it_must_be_asked_today(client, hv, family_a, mother):
    client.force_login(hv)
    data = form_data("phq9", 0)
    del data["item_9"]
    response = client.post(add_url(family_a, mother, "phq9"), data)
    text = visible_text(client.get(response["Location"]).content.decode())
    assert "Not answered: an urgent task has been raised to ask it today" in text
