"""Two people acting on one record at the same moment: nothing is lost or done twice.

Each test runs its actions in threads with their own database connections, released
together by a barrier. Each action starts from the record as its user loaded it, before
the other's change (as two open pages would). PostgreSQL only: SQLite has no row locks
and lets one writer in at a time, so the race cannot happen there.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connections
from django.test import Client
from django.utils import timezone

from pimh.contacts import services as contact_services
from pimh.contacts.models import Contact, Task, TaskEvent
from pimh.families import services as family_services
from pimh.families.models import Person
from pimh.referrals import services as referral_services
from pimh.referrals.models import Referral, Service
from tests.conftest import USE_POSTGRES, make_user

pytestmark = [
    pytest.mark.skipif(
        not USE_POSTGRES,
        reason="needs PostgreSQL: SQLite has no row locks and serialises writers, so the race cannot occur",
    ),
    pytest.mark.django_db(transaction=True),
]


def at_once(*actions: Callable[[], object]) -> list[object]:
    """Run each action in its own thread and connection, released together; return results or exceptions."""
    barrier = threading.Barrier(len(actions))
    results: list[object] = [None] * len(actions)

    def run(index: int, action: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = action()
        except Exception as error:  # returned to the test, which asserts on it
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, action)) for i, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.fixture
def second_hv(team_a):
    return make_user("harry", "hv", team_a)


@pytest.fixture
def follow_up(hv, family_a):
    today = timezone.localdate()
    return contact_services.create_task(
        by=hv, family=family_a, kind="follow_up", title="Follow-up visit", due_from=today, due_by=today
    )


def _visit(family):
    return contact_services.ContactData(
        contact_type="additional",
        date=timezone.localdate(),
        present_ids=(family.people.get(role="birthing_parent").pk,),
    )


def test_two_people_completing_one_task_at_once_record_one_completion(hv, second_hv, family_a, follow_up):
    seen_by_hv, seen_by_second = Task.objects.get(pk=follow_up.pk), Task.objects.get(pk=follow_up.pk)
    results = at_once(
        lambda: contact_services.record_contact(by=hv, family=family_a, data=_visit(family_a), task=seen_by_hv),
        lambda: contact_services.record_contact(
            by=second_hv, family=family_a, data=_visit(family_a), task=seen_by_second
        ),
    )
    assert sorted(type(r).__name__ for r in results) == ["Contact", "ValidationError"]
    refused = next(r for r in results if isinstance(r, ValidationError))
    assert "This task is already completed" in " ".join(refused.messages)
    assert Contact.objects.filter(family=family_a).count() == 1
    assert TaskEvent.objects.filter(task=follow_up, event="complete").count() == 1


@pytest.fixture
def sent_referral(hv, family_a):
    service = Service.objects.create(name="Perinatal Team", kind="perinatal_mh_team", sees="parent")
    return referral_services.create_and_send(
        by=hv,
        family=family_a,
        person=family_a.people.get(role="birthing_parent"),
        service=service,
        urgency="routine",
        reason_code="depression",
        consent="given",
    )


def _history_is_a_chain(referral):
    events = list(referral.events.order_by("id"))
    return all(after.from_status == before.to_status for before, after in itertools.pairwise(events))


def test_acknowledging_and_withdrawing_at_once_loses_neither(hv, lead, sent_referral):
    for_hv, for_lead = Referral.objects.get(pk=sent_referral.pk), Referral.objects.get(pk=sent_referral.pk)
    at_once(
        lambda: referral_services.acknowledge(by=hv, referral=for_hv),
        lambda: referral_services.withdraw(by=lead, referral=for_lead, reason="The family moved away"),
    )
    sent_referral.refresh_from_db()
    assert sent_referral.status == "withdrawn"
    assert _history_is_a_chain(sent_referral)
    assert sent_referral.events.order_by("id").last().to_status == "withdrawn"


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_two_pages_acting_on_one_referral_at_once_one_is_refused(hv, lead, sent_referral):
    url = f"/referrals/{sent_referral.pk}/"
    hv_client, lead_client = _signed_in(hv), _signed_in(lead)
    results = at_once(
        lambda: hv_client.post(url, {"event": "acknowledge", "seen_status": "sent"}),
        lambda: lead_client.post(
            url, {"event": "withdraw", "seen_status": "sent", "withdraw-reason": "The family moved away"}
        ),
    )
    assert sorted(r.status_code for r in results) == [200, 302]
    refused = next(r for r in results if r.status_code == 200).content.decode()
    assert re.search(r"Changed by \w+ Tester at \d\d:\d\d on [^:]+: review and save again", refused)
    assert sent_referral.events.exclude(event__in=["create", "send"]).count() == 1
    assert _history_is_a_chain(sent_referral)


def test_two_edits_of_one_person_at_once_one_is_refused(hv, lead, family_a):
    person = family_a.people.get(role="father")
    data = {
        "role": "father",
        "family_name": person.family_name,
        "nhs_number": person.nhs_number or "",
        "date_of_birth": person.date_of_birth,
        "sex": person.sex,
    }
    results = at_once(
        lambda: family_services.update_person(
            by=hv,
            person=Person.objects.get(pk=person.pk),
            data=family_services.PersonData(**{**data, "given_name": "Samuel"}),
            seen_version=0,
        ),
        lambda: family_services.update_person(
            by=lead,
            person=Person.objects.get(pk=person.pk),
            data=family_services.PersonData(**{**data, "given_name": "Sammy"}),
            seen_version=0,
        ),
    )
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 1
    assert re.fullmatch(r"Changed by \w+ Tester at \d\d:\d\d on .+: review and save again", refused[0].messages[0])
    person.refresh_from_db()
    assert person.version == 1
    assert person.given_name in {"Samuel", "Sammy"}


def test_one_form_submitted_twice_at_once_makes_one_contact(hv, family_a):
    url = f"/families/{family_a.pk}/contacts/add/"
    first, second = _signed_in(hv), _signed_in(hv)
    token = re.search(r'name="submit_token" value="([^"]+)"', first.get(url).content.decode()).group(1)
    today = timezone.localdate()
    data = {
        "contact_type": "additional",
        "date_day": today.day,
        "date_month": today.month,
        "date_year": today.year,
        "mode": "face_to_face",
        "location": "home",
        "attendance": "attended",
        "present_ids": [family_a.people.get(role="birthing_parent").pk],
        "submit_token": token,
    }
    results = at_once(lambda: first.post(url, data), lambda: second.post(url, data))
    assert [(r.status_code, r.url) for r in results] == [(302, f"/families/{family_a.pk}/")] * 2
    assert Contact.objects.filter(family=family_a).count() == 1
