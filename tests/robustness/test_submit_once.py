"""A create form submitted twice (double click, back and resubmit) makes one record and shows the first."""

from __future__ import annotations

import re

import pytest
from django.urls import resolve
from django.utils import timezone

from pimh.contacts.models import Contact
from pimh.core.once import ALREADY_SAVED
from pimh.families.models import Family
from pimh.referrals.models import Referral, Service
from pimh.screening.models import Screen, UrgentFlag
from tests.conftest import next_nhs_number
from tests.test_scoping import PK_SOURCE, _patterns, team_a_records  # noqa: F401 (a fixture)

TOKEN = re.compile(r'name="submit_token" value="([A-Za-z0-9_-]+)"')


def token_from(client, url):
    page = client.get(url)
    assert page.status_code == 200
    return TOKEN.search(page.content.decode()).group(1)


def submit_twice(client, form_url, data, post_url=None):
    """GET the form, POST it twice with its token; return both responses."""
    data = {**data, "submit_token": token_from(client, form_url)}
    first = client.post(post_url or form_url, data)
    second = client.post(post_url or form_url, data)
    return first, second


def assert_second_shows_the_first(client, first, second):
    assert first.status_code == 302
    assert (second.status_code, second.url) == (302, first.url)
    assert ALREADY_SAVED in client.get(second.url).content.decode()


def _today_parts(prefix):
    today = timezone.localdate()
    return {f"{prefix}_day": today.day, f"{prefix}_month": today.month, f"{prefix}_year": today.year}


@pytest.fixture
def mother(family_a):
    return family_a.people.get(role="birthing_parent")


def test_a_contact_saved_twice_is_recorded_once(client, hv, family_a, mother):
    client.force_login(hv)
    before = Contact.objects.count()
    data = {
        "contact_type": "additional",
        **_today_parts("date"),
        "mode": "face_to_face",
        "location": "home",
        "attendance": "attended",
        "present_ids": [mother.pk],
    }
    first, second = submit_twice(client, f"/families/{family_a.pk}/contacts/add/", data)
    assert_second_shows_the_first(client, first, second)
    assert Contact.objects.count() == before + 1


def test_an_urgent_flag_raised_twice_is_raised_once(client, hv, family_a, mother):
    client.force_login(hv)
    data = {"person": mother.pk, "reason": "self_harm_thoughts"}
    first, second = submit_twice(client, f"/families/{family_a.pk}/flags/add/", data)
    assert_second_shows_the_first(client, first, second)
    assert UrgentFlag.objects.filter(family=family_a).count() == 1
    assert family_a.tasks.filter(kind="urgent_action").count() == 1


def test_a_screen_saved_twice_is_recorded_once(client, hv, family_a, mother):
    client.force_login(hv)
    url = f"/families/{family_a.pk}/screens/add/?person={mother.pk}&instrument=phq2"
    first, second = submit_twice(client, url, {"item_1": "1", "item_2": "2"})
    assert_second_shows_the_first(client, first, second)
    assert Screen.objects.filter(family=family_a).count() == 1


def test_a_referral_sent_twice_is_sent_once(client, hv, family_a, mother):
    service = Service.objects.create(name="Perinatal Team", kind="perinatal_mh_team", sees="parent")
    client.force_login(hv)
    data = {
        "person": mother.pk,
        "service": service.pk,
        "urgency": "routine",
        "reason_code": "depression",
        "consent": "given",
    }
    first, second = submit_twice(client, f"/families/{family_a.pk}/referrals/add/", data)
    assert_second_shows_the_first(client, first, second)
    assert Referral.objects.filter(family=family_a).count() == 1


def test_a_family_registered_twice_is_registered_once(client, hv, team_a):
    client.force_login(hv)
    dob = timezone.localdate().replace(year=timezone.localdate().year - 30)
    data = {
        "allocated_hv": hv.pk,
        "service_level": "universal",
        "safeguarding": "none",
        "language": "English",
        "parent_given_name": "Maya",
        "parent_family_name": "Brightwater",
        "parent_nhs_number": next_nhs_number(),
        "parent_date_of_birth_day": dob.day,
        "parent_date_of_birth_month": dob.month,
        "parent_date_of_birth_year": dob.year,
        "parent_ethnic_category": "A",
        "second_sex": "U",
        "second_ethnic_category": "99",
    }
    first, second = submit_twice(client, "/families/register/", data)
    assert_second_shows_the_first(client, first, second)
    assert Family.objects.count() == 1


def test_a_form_shown_again_with_errors_keeps_its_token_and_then_saves_once(client, hv, family_a, mother):
    client.force_login(hv)
    url = f"/families/{family_a.pk}/flags/add/"
    token = token_from(client, url)
    refused = client.post(url, {"person": mother.pk, "submit_token": token})
    assert refused.status_code == 200
    assert TOKEN.search(refused.content.decode()).group(1) == token
    data = {"person": mother.pk, "reason": "other", "submit_token": token}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert UrgentFlag.objects.filter(family=family_a).count() == 1


def test_each_opening_of_a_form_is_a_new_intent(client, hv, family_a, mother):
    client.force_login(hv)
    url = f"/families/{family_a.pk}/flags/add/"
    for _ in range(2):
        client.post(url, {"person": mother.pk, "reason": "other", "submit_token": token_from(client, url)})
    assert UrgentFlag.objects.filter(family=family_a).count() == 2


def test_another_users_token_does_not_show_them_the_result(client, hv, lead, family_a, mother):
    client.force_login(hv)
    url = f"/families/{family_a.pk}/flags/add/"
    data = {"person": mother.pk, "reason": "other", "submit_token": token_from(client, url)}
    client.post(url, data)
    client.force_login(lead)
    assert client.post(url, data).url == "/"
    assert UrgentFlag.objects.filter(family=family_a).count() == 1


def test_every_create_form_renders_its_token(client, lead, team_a_records):  # noqa: F811 (the fixture)
    """Every @submit_once view's page carries the hidden token (the lead may open all of them)."""
    client.force_login(lead)
    mother = team_a_records["family"].people.get(role="birthing_parent")
    query = {"screen-add": f"?person={mother.pk}&instrument=phq2"}
    urls = {
        name: "/" + pattern.replace("<int:pk>", str(team_a_records[PK_SOURCE[name]].pk) if name in PK_SOURCE else "")
        for name, pattern in _patterns()
        if "<int:pk>" not in pattern or name in PK_SOURCE
    }
    create_urls = [
        url + query.get(name, "") for name, url in urls.items() if getattr(resolve(url).func, "submits_once", False)
    ]
    assert len(create_urls) >= 14
    missing = [url for url in create_urls if not TOKEN.search(client.get(url).content.decode())]
    assert missing == []
