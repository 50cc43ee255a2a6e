"""The life-event forms on the family record: each saves through its service or shows a specific error."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pimh.contacts.models import Task
from pimh.core.models import AuditEvent
from pimh.families import services
from pimh.families.models import LifeEvent, PersonRole
from tests.conftest import person_data

TODAY = timezone.localdate


def date_fields(name: str, day: dt.date) -> dict[str, int]:
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


@pytest.fixture
def infant(family_a):
    return family_a.people.get(role=PersonRole.INFANT)


@pytest.fixture
def page(client, hv):
    client.force_login(hv)
    return client


def test_family_record_links_each_life_event_for_a_child(page, family_a, infant):
    html = page.get(f"/families/{family_a.pk}/").content.decode()
    for path in ("moved-in", "moved-out", "death", "looked-after"):
        assert f'href="/people/{infant.pk}/{path}/"' in html


def test_adult_has_no_life_event_pages(page, family_a):
    mother = family_a.people.get(role=PersonRole.BIRTHING_PARENT)
    assert page.get(f"/people/{mother.pk}/death/").status_code == 404


def test_move_in_page(page, family_a, infant):
    on = TODAY() - dt.timedelta(days=2)
    response = page.post(f"/people/{infant.pk}/moved-in/", {**date_fields("moved_in_on", on), "previous_provider": ""})
    assert response.status_code == 302
    infant.refresh_from_db()
    assert infant.responsible_from == on
    assert Task.objects.get(person=infant, kind="transfer_in").due_from == on
    html = page.get(f"/families/{family_a.pk}/").content.decode()
    assert f"Moved in {on:%d %b %Y}" in html
    assert "Due before the move, check they happened: New birth visit" in html


def test_move_out_page_shows_a_specific_error_and_saves_nothing(page, infant):
    future = TODAY() + dt.timedelta(days=1)
    response = page.post(
        f"/people/{infant.pk}/moved-out/", {"kind": "transferred", **date_fields("moved_out_on", future)}
    )
    assert response.status_code == 200
    assert "The date must be today or in the past" in response.content.decode()
    infant.refresh_from_db()
    assert infant.responsible_until is None
    assert not LifeEvent.objects.exists()


def test_move_out_page(page, family_a, infant):
    response = page.post(
        f"/people/{infant.pk}/moved-out/", {"kind": "transferred", **date_fields("moved_out_on", TODAY())}
    )
    assert response.status_code == 302
    assert not Task.objects.filter(person=infant, status__in=["upcoming", "due", "overdue"]).exists()
    html = page.get(f"/families/{family_a.pk}/").content.decode()
    assert f"No longer on this caseload from {TODAY():%d %b %Y}" in html


def test_death_page(page, family_a, infant):
    response = page.post(f"/people/{infant.pk}/death/", date_fields("date_of_death", TODAY()))
    assert response.status_code == 302
    infant.refresh_from_db()
    assert infant.date_of_death == TODAY()
    assert AuditEvent.objects.filter(object_type="families.LifeEvent", detail__kind="died").count() == 1
    assert "Bereavement" in page.get(f"/families/{family_a.pk}/").content.decode()


def test_looked_after_page(page, hv, family_a, infant):
    carer = services.add_person(by=hv, family=family_a, data=person_data("other_carer", given_name="Fern"))
    form = page.get(f"/people/{infant.pk}/looked-after/").content.decode()
    assert f'value="{carer.pk}"' in form
    response = page.post(
        f"/people/{infant.pk}/looked-after/",
        {"carer": carer.pk, "relationship": "foster_carer", **date_fields("carer_from", TODAY())},
    )
    assert response.status_code == 302
    infant.refresh_from_db()
    assert infant.carer_with_pr == carer
    html = page.get(f"/families/{family_a.pk}/").content.decode()
    assert f"carer with parental responsibility {carer.full_name}" in html
    assert f'href="/people/{infant.pk}/looked-after/end/"' in html
    ended = page.post(f"/people/{infant.pk}/looked-after/end/", {**date_fields("ended_on", TODAY()), "note": ""})
    assert ended.status_code == 302
    infant.refresh_from_db()
    assert infant.carer_with_pr is None


def test_edd_correction_page(page, hv, family_a):
    mother = family_a.people.get(role=PersonRole.BIRTHING_PARENT)
    pregnancy = services.add_pregnancy(by=hv, family=family_a, mother=mother, edd=TODAY() + dt.timedelta(days=70))
    assert f'href="/pregnancies/{pregnancy.pk}/edd/"' in page.get(f"/families/{family_a.pk}/").content.decode()
    new_edd = TODAY() + dt.timedelta(days=80)
    response = page.post(f"/pregnancies/{pregnancy.pk}/edd/", date_fields("edd", new_edd))
    assert response.status_code == 302
    pregnancy.refresh_from_db()
    assert pregnancy.edd == new_edd
    assert pregnancy.tasks.get(kind="antenatal").due_by == new_edd
    too_late = TODAY() + dt.timedelta(weeks=45)
    refused = page.post(f"/pregnancies/{pregnancy.pk}/edd/", date_fields("edd", too_late))
    assert "within 44 weeks" in refused.content.decode()
