"""Referral pages through the test client: the journey, the lead's and the specialist's views."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pimh.referrals import services
from pimh.referrals.models import Referral
from tests.conftest import login_verified, make_family


def form_data(family, service, person=None, **extra):
    person = person or family.people.get(role="infant")
    return {
        "person": str(person.pk),
        "service": str(service.pk),
        "urgency": "routine",
        "reason_code": "relationship",
        "reason_text": "Parent finds it hard to soothe the baby",
        "consent": "given",
        **extra,
    }


def test_refer_a_14_month_old_to_a_0_12_month_service(client, hv, team_a, infant_service, lead):
    family = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=430)
    client.force_login(hv)
    record = client.get(f"/families/{family.pk}/").content.decode()
    assert "No open referrals" in record and f"/families/{family.pk}/referrals/add/" in record

    first = client.post(f"/families/{family.pk}/referrals/add/", form_data(family, infant_service))
    page = first.content.decode()
    assert first.status_code == 200
    assert "Outside age criteria: this service accepts infants aged 0-12 months" in page
    assert "Send anyway" in page
    assert not Referral.objects.exists()

    sent = client.post(f"/families/{family.pk}/referrals/add/", form_data(family, infant_service, confirm="True"))
    referral = Referral.objects.get()
    assert sent.status_code == 302 and sent["Location"] == f"/referrals/{referral.pk}/"
    assert referral.status == "sent" and referral.criteria_warnings

    detail = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert "Record decline" in detail and "Record acknowledgement" in detail
    refused = client.post(f"/referrals/{referral.pk}/", {"event": "decline", "decline-decline_reason": ""})
    assert "Choose the reason the service gave for declining" in refused.content.decode()
    assert 'class="nhsuk-error-summary"' in refused.content.decode()  # the NHS.UK error summary, linked to the field
    assert 'href="#id_decline-decline_reason"' in refused.content.decode()
    declined = client.post(
        f"/referrals/{referral.pk}/", {"event": "decline", "decline-decline_reason": "outside_age_criteria"}
    )
    assert declined.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.decline_reason) == ("declined", "outside_age_criteria")
    assert "No open referrals" in client.get(f"/families/{family.pk}/").content.decode()

    client.force_login(lead)
    team = client.get("/team/referrals/").content.decode()
    assert "Outside age criteria" in team
    assert 'the "baby blindspot"): <strong>1</strong>' in team.replace("&#34;", '"')
    assert (
        '<td class="nhsuk-table__cell" role="cell"><span class="nhsuk-table-responsive__heading" aria-hidden="true">Age band </span>12-24 months</td>'
        '<td class="nhsuk-table__cell" role="cell"><span class="nhsuk-table-responsive__heading" aria-hidden="true">Declines </span>1</td>'
    ) in team


def test_a_referral_within_criteria_is_sent_at_once(client, hv, family_a, infant_service):
    client.force_login(hv)
    response = client.post(f"/families/{family_a.pk}/referrals/add/", form_data(family_a, infant_service))
    assert response.status_code == 302
    assert Referral.objects.get().criteria_warnings == []


def test_illegal_step_shows_a_clear_message_and_changes_nothing(client, hv, family_a, infant_service, draft_referral):
    referral = draft_referral
    client.force_login(hv)
    response = client.post(f"/referrals/{referral.pk}/", {"event": "record_attended"}, follow=True)
    assert "cannot take" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == "draft"


def test_full_lifecycle_through_the_page(client, hv, family_a, infant_service):
    client.force_login(hv)
    client.post(f"/families/{family_a.pk}/referrals/add/", form_data(family_a, infant_service))
    referral = Referral.objects.get()
    url = f"/referrals/{referral.pk}/"
    on = timezone.localdate() + dt.timedelta(days=5)
    for data in [
        {"event": "acknowledge"},
        {"event": "accept"},
        {
            "event": "offer_first_appointment",
            "appt-first_appointment_on_day": on.day,
            "appt-first_appointment_on_month": on.month,
            "appt-first_appointment_on_year": on.year,
        },
        {"event": "record_attended"},
        {"event": "discharge", "discharge-note": "Goals met"},
    ]:
        assert client.post(url, data).status_code == 302, data
    referral.refresh_from_db()
    assert referral.status == "discharged"
    assert referral.events.count() == 7
    assert "Goals met" in client.get(url).content.decode()


def test_jointly_held_family_on_both_caseloads(client, hv, specialist, family_a, family_b, team_a):
    services.add_specialist_involvement(by=specialist, family=family_a, specialist=specialist, kind="joint_working")
    client.force_login(specialist)
    page = client.get("/specialist/").content.decode()
    assert family_a.reference in page and family_b.reference not in page
    assert "Joint working" in page
    client.force_login(hv)
    assert family_a.reference in client.get("/caseload/").content.decode()


def test_specialist_caseload_is_scoped_to_the_specialists_teams(hv, specialist, team_a, organisation):
    from pimh.core.models import Team
    from pimh.families.models import Family
    from pimh.referrals import presenters
    from pimh.referrals.models import SpecialistInvolvement

    other_team = Team.objects.create(organisation=organisation, name="Team C", local_authority_code="E06000003")
    family = make_family(by=hv, team=other_team)
    with pytest.raises(Exception, match="does not work with this family's team"):
        services.add_specialist_involvement(by=specialist, family=family, specialist=specialist, kind="holding")
    SpecialistInvolvement.objects.create(family=family, specialist=specialist, kind="holding", started=dt.date.today())
    from pimh.families.scope import Scope

    assert list(presenters.specialist_families(Scope(specialist).families, specialist)) == []
    assert Family.objects.filter(pk=family.pk).exists()


def test_ended_involvement_leaves_the_caseload(client, specialist, family_a):
    involvement = services.add_specialist_involvement(
        by=specialist, family=family_a, specialist=specialist, kind="consultation"
    )
    services.end_specialist_involvement(by=specialist, involvement=involvement, on=timezone.localdate())
    client.force_login(specialist)
    assert family_a.reference not in client.get("/specialist/").content.decode()


@pytest.mark.parametrize("persona", ["hv", "specialist", "analyst", "administrator"])
def test_lead_pages_are_for_leads_only(request, client, persona):
    login_verified(client, request.getfixturevalue(persona))
    assert client.get("/team/referrals/").status_code == 403
    assert client.get("/team/supervision/").status_code == 403


@pytest.mark.parametrize("persona", ["hv", "lead", "analyst", "administrator"])
def test_specialist_caseload_is_for_specialists_only(request, client, persona):
    login_verified(client, request.getfixturevalue(persona))
    assert client.get("/specialist/").status_code == 403


def test_lead_sees_only_own_team_referrals(client, lead, colleague_b, family_b, infant_service):
    referral = services.create_referral(
        by=colleague_b,
        family=family_b,
        person=family_b.people.get(role="infant"),
        service=infant_service,
        urgency="routine",
        reason_code="relationship",
        consent="given",
    )
    services.send(by=colleague_b, referral=referral)
    client.force_login(lead)
    assert family_b.reference not in client.get("/team/referrals/").content.decode()
    assert client.get(f"/referrals/{referral.pk}/").status_code == 404


def test_overdue_against_the_standards(client, hv, lead, family_a, infant_service, draft_referral):
    referral = draft_referral
    services.send(by=hv, referral=referral, today=timezone.localdate() - dt.timedelta(days=30))
    client.force_login(lead)
    page = client.get("/team/referrals/").content.decode()
    assert "Not acknowledged by" in page


def test_supervision_overdue_and_training_coverage(client, hv, specialist, lead):
    today = timezone.localdate()
    services.record_supervision(
        by=lead,
        supervisee=specialist,
        supervisor=lead,
        date=today - dt.timedelta(days=20),
        kind="reflective",
        duration_minutes=60,
    )
    services.record_supervision(
        by=lead,
        supervisee=hv,
        supervisor=specialist,
        date=today - dt.timedelta(days=120),
        kind="group",
        duration_minutes=90,
    )
    services.record_training(by=lead, practitioner=hv, course="infant_mh_champion", completed_on=today)
    client.force_login(lead)
    page = client.get("/team/supervision/").content.decode()
    assert page.count("Overdue</strong>") == 1
    assert "Infant mental health champion: 1 of 2" in page
    assert "Perinatal mental health champion: 0 of 2" in page


def test_training_and_supervision_validation(hv, lead):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="module's name"):
        services.record_training(by=lead, practitioner=hv, course="elearning", completed_on=timezone.localdate())
    with pytest.raises(ValidationError, match="length of the session"):
        services.record_supervision(
            by=lead, supervisee=hv, supervisor=lead, date=timezone.localdate(), kind="group", duration_minutes=0
        )


def test_admin_keeps_the_directory(client, administrator):
    login_verified(client, administrator)
    page = client.get("/admin/").content.decode()
    assert "Services" in page
    response = client.post(
        "/admin/referrals/service/add/",
        {
            "name": "New CAMHS",
            "kind": "camhs",
            "sees": "infant",
            "infant_min_months": 24,
            "areas": "[]",
            "urgencies": '["routine"]',
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    from pimh.core.models import AuditEvent

    assert AuditEvent.objects.filter(object_type="referrals.Service", action="create").exists()


def test_family_section_and_timeline_use_a_fixed_number_of_queries(hv, family_a, infant_service):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pimh.referrals import presenters

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            sections = presenters.family_section(None, family_a)
            [r.service.name + r.person.given_name for r in sections[0].context["referrals"]]
            presenters.family_entries(family_a)
        return len(queries)

    def refer() -> None:
        referral = services.create_referral(
            by=hv,
            family=family_a,
            person=family_a.people.get(role="infant"),
            service=infant_service,
            urgency="routine",
            reason_code="relationship",
            consent="given",
        )
        services.send(by=hv, referral=referral)

    refer()
    one = count()
    for _ in range(5):
        refer()
    assert count() == one
    entries = presenters.family_entries(family_a)
    assert len(entries) == 12
    assert entries[0].text == "Referral to Little Steps Parent-Infant Team: draft"


def test_record_involvement_from_the_family_record(client, hv, specialist, family_a):
    client.force_login(hv)
    record = client.get(f"/families/{family_a.pk}/").content.decode()
    assert "No specialist health visitor is involved" in record
    refused = client.post(f"/families/{family_a.pk}/specialist/add/", {"specialist": "", "kind": ""})
    assert "Choose the specialist health visitor" in refused.content.decode()
    response = client.post(
        f"/families/{family_a.pk}/specialist/add/", {"specialist": specialist.pk, "kind": "joint_working"}
    )
    assert response.status_code == 302
    assert "Joint working since" in client.get(f"/families/{family_a.pk}/").content.decode()
    client.force_login(specialist)
    assert family_a.reference in client.get("/specialist/").content.decode()


def test_lead_records_supervision_and_training(client, hv, specialist, lead):
    today = timezone.localdate()
    client.force_login(lead)
    assert client.get("/team/supervision/record/").status_code == 200
    response = client.post(
        "/team/supervision/record/",
        {
            "supervisee": hv.pk,
            "supervisor": specialist.pk,
            "date_day": today.day,
            "date_month": today.month,
            "date_year": today.year,
            "kind": "reflective",
            "duration_minutes": 60,
        },
    )
    assert response.status_code == 302, response.content.decode()
    refused = client.post(
        "/team/training/record/",
        {
            "practitioner": hv.pk,
            "course": "elearning",
            "completed_on_day": today.day,
            "completed_on_month": today.month,
            "completed_on_year": today.year,
        },
    )
    assert "Enter the e-learning module" in refused.content.decode()
    client.force_login(hv)
    assert client.get("/team/supervision/record/").status_code == 403
    assert client.get("/team/training/record/").status_code == 403


@pytest.mark.parametrize(
    ("on", "band"),
    [
        (dt.date(2026, 3, 9), "0-12 months"),
        (dt.date(2026, 3, 10), "12-24 months"),
        (dt.date(2027, 3, 9), "12-24 months"),
        (dt.date(2027, 3, 10), "2 years and over"),
    ],
)
def test_infant_age_bands(on, band):
    from pimh.referrals.presenters import infant_age_band

    assert infant_age_band(dt.date(2025, 3, 10), on) == band


def test_reading_a_referral_is_audited(client, hv, family_a, infant_service, draft_referral):
    from pimh.core.models import AuditEvent

    referral = draft_referral
    client.force_login(hv)
    client.get(f"/referrals/{referral.pk}/")
    event = AuditEvent.objects.get(action="read", object_type="referrals.Referral")
    assert (event.user, event.object_id, event.family_id) == (hv, str(referral.pk), family_a.pk)


@pytest.fixture
def specialist_service(db):
    from pimh.referrals.models import Service

    return Service.objects.create(name="Specialist HV (PIMH)", kind="specialist_hv", sees="dyad")


def _sent_to_specialist(hv, family, service):
    return services.create_and_send(
        by=hv,
        family=family,
        person=family.people.get(role="birthing_parent"),
        service=service,
        urgency="routine",
        reason_code="depression",
        consent="given",
    )


def test_specialist_sees_her_incoming_queue_and_accepts_as_joint_working(
    client, hv, specialist, family_a, specialist_service, infant_service
):
    referral = _sent_to_specialist(hv, family_a, specialist_service)
    other = services.create_and_send(
        by=hv,
        family=family_a,
        person=family_a.people.get(role="infant"),
        service=infant_service,
        urgency="routine",
        reason_code="relationship",
        consent="given",
    )
    client.force_login(specialist)
    queue = client.get("/specialist/queue/").content.decode()
    assert f"/referrals/{referral.pk}/" in queue
    assert f"/referrals/{other.pk}/" not in queue  # not a referral to her service
    detail = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert "Accept onto my specialist caseload" in detail
    refused = client.post(f"/referrals/{referral.pk}/", {"event": "specialist_accept"})
    assert "Choose consultation, joint working or holding the case" in refused.content.decode()
    assert 'class="nhsuk-error-summary"' in refused.content.decode()
    accepted = client.post(
        f"/referrals/{referral.pk}/", {"event": "specialist_accept", "specialist-kind": "joint_working"}
    )
    assert accepted.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "accepted"
    assert list(family_a.specialist_involvements.values_list("specialist", "kind")) == [
        (specialist.pk, "joint_working")
    ]
    caseload = client.get("/specialist/").content.decode()
    mother = family_a.people.get(role="birthing_parent")
    assert mother.full_name in caseload and hv.display_name in caseload and "Joint working" in caseload
    assert f"/referrals/{referral.pk}/" not in client.get("/specialist/queue/").content.decode()


def test_specialist_declines_with_a_reason(client, hv, specialist, family_a, specialist_service):
    referral = _sent_to_specialist(hv, family_a, specialist_service)
    client.force_login(specialist)
    declined = client.post(f"/referrals/{referral.pk}/", {"event": "decline", "decline-decline_reason": "other"})
    assert declined.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "declined"
    assert not family_a.specialist_involvements.exists()


def test_a_health_visitor_gets_no_specialist_accept(client, hv, family_a, specialist_service):
    referral = _sent_to_specialist(hv, family_a, specialist_service)
    client.force_login(hv)
    assert "Accept onto my specialist caseload" not in client.get(f"/referrals/{referral.pk}/").content.decode()
    client.post(f"/referrals/{referral.pk}/", {"event": "specialist_accept", "specialist-kind": "holding"})
    referral.refresh_from_db()
    assert referral.status == "sent"
    assert client.get("/specialist/queue/").status_code == 403


def test_accept_for_specialist_refuses_another_service(hv, specialist, family_a, infant_service):
    from django.core.exceptions import ValidationError

    referral = services.create_and_send(
        by=hv,
        family=family_a,
        person=family_a.people.get(role="infant"),
        service=infant_service,
        urgency="routine",
        reason_code="relationship",
        consent="given",
    )
    with pytest.raises(ValidationError, match="specialist PIMH"):
        services.accept_for_specialist(by=specialist, referral=referral, kind="holding")
    referral.refresh_from_db()
    assert referral.status == "sent"
