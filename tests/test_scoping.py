"""Walk every URL of the application as people who must not see team A's records."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone

from pimh.core.models import AuditEvent
from pimh.families import services
from tests.conftest import login_verified

# URL names that show no identifiable record (or only the user's own data).
NOT_IDENTIFIABLE = {
    "home",
    "login",
    "logout",
    "otp-verify",
    "otp-setup",
    "otp-enrol",
    "otp-enrolment-needed",
    "help",
    "caseload",
    "family-register",
    "break-glass",
    "break-glass-log",
    "overview",
    "worklist",
    "diary",  # the user's own bookings, no per-family read: tests/diary/test_views.py
    "team-overview",
    "team-member-overdue",  # a practitioner's id, not a family's: tests/contacts/test_worklist.py
    "team-urgent-flags",
    "referrals-team",
    "team-supervision",
    "specialist-caseload",
    "specialist-queue",
    "supervision-record",
    "training-record",
    "workforce-caseloads",
    "workforce-commissioner",
    "workforce-commissioner-pdf",
    "workforce-commissioner-csv",
    "api-tokens",  # the user's own API tokens: tests/api/test_tokens.py
    "api-token-revoke",
    "indicators",  # aggregates from the pseudonymised snapshot: tests/analytics/test_indicator_pages.py
    "indicators-rebuild",
    "indicators-download",
}


def _patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for item in resolver.url_patterns:
        if isinstance(item, URLResolver):
            if getattr(item, "namespace", None) == "admin":
                continue  # the Django admin: see test_admin_site_is_for_administrators_only
            if getattr(item, "namespace", None) in ("api-v1", "fhir"):
                continue  # the REST API: walked from its OpenAPI paths in tests/api/test_api_scoping.py
            yield from _patterns(item, prefix + str(item.pattern))
        elif isinstance(item, URLPattern):
            yield item.name, prefix + str(item.pattern)


@pytest.fixture
def team_a_records(hv, team_a):
    from tests.conftest import make_family

    family = make_family(by=hv, team=team_a, allocated_hv=hv)
    pregnancy = services.add_pregnancy(
        by=hv,
        family=family,
        mother=family.people.get(role="birthing_parent"),
        edd=timezone.localdate() + dt.timedelta(weeks=10),
    )
    from pimh.contacts import services as contact_services

    task = contact_services.create_task(
        by=hv,
        family=family,
        kind="follow_up",
        title="Follow-up visit",
        due_from=timezone.localdate(),
        due_by=timezone.localdate() + dt.timedelta(days=7),
    )
    contact = contact_services.record_contact(
        by=hv,
        family=family,
        data=contact_services.ContactData(
            contact_type="additional",
            date=timezone.localdate(),
            present_ids=(family.people.first().pk,),
        ),
    )
    from pimh.screening import services as screening_services

    screen = screening_services.record_screen(
        by=hv, family=family, person=family.people.get(role="birthing_parent"), instrument="phq9", answers=[1] * 9
    )
    from pimh.screening.models import Judgement

    observation = screening_services.record_relationship(
        by=hv,
        family=family,
        parent=family.people.get(role="birthing_parent"),
        infant=family.people.get(role="infant"),
        judgement=Judgement.NO_CONCERN,
        contact=contact,
    )
    from pimh.diary import services as diary_services

    booking = diary_services.book_contact(
        by=hv,
        family=family,
        data=diary_services.BookingData(
            contact_type="additional",
            date=timezone.localdate() + dt.timedelta(days=2),
            time=dt.time(10, 0),
            people_ids=(family.people.get(role="birthing_parent").pk,),
        ),
    )
    return {
        "family": family,
        "booking": booking,
        "contact": contact,
        "observation": observation,
        "person": family.people.first(),
        "child": family.people.get(role="infant"),
        "pregnancy": pregnancy,
        "task": task,
        "screen": screen,
        "suggestion": screen.suggestions.first() or _suggestion_for(hv, family),
        "flag": screen.flags.get(),
        "referral": _referral_for(hv, family),
    }


def _suggestion_for(hv, family):
    from pimh.screening import services as screening_services

    whooley = screening_services.record_screen(
        by=hv, family=family, person=family.people.get(role="birthing_parent"), instrument="whooley", answers=[1, 1]
    )
    return whooley.suggestions.get()


def _referral_for(hv, family):
    from pimh.referrals import services as referral_services
    from pimh.referrals.models import Service

    service = Service.objects.create(name="Scoping Perinatal Team", kind="perinatal_mh_team", sees="parent")
    return referral_services.create_referral(
        by=hv,
        family=family,
        person=family.people.get(role="birthing_parent"),
        service=service,
        urgency="routine",
        reason_code="depression",
        consent="given",
    )


# Which record fills the <int:pk> of each identifiable URL. A new URL must be added here.
PK_SOURCE = {
    "family-detail": "family",
    "person-add": "family",
    "service-level-change": "family",
    "family-allocate": "family",
    "family-close": "family",
    "family-contact-details": "family",
    "pregnancy-add": "family",
    "person-edit": "person",
    "pregnancy-birth": "pregnancy",
    "pregnancy-loss": "pregnancy",
    "pregnancy-edd": "pregnancy",
    "person-move-in": "child",
    "person-move-out": "child",
    "person-death": "child",
    "person-looked-after": "child",
    "person-looked-after-end": "child",
    "task-contact": "task",
    "task-cancel": "task",
    "contact-add": "family",
    "contact-recorded": "contact",
    "screen-add": "family",
    "flag-add": "family",
    "relationship-add": "family",
    "screen-detail": "screen",
    "suggestion-decide": "suggestion",
    "flag-close": "flag",
    "flag-detail": "flag",
    "relationship-detail": "observation",
    "contact-detail": "contact",
    "referral-add": "family",
    "referral-detail": "referral",
    "involvement-add": "family",
    "booking-add": "family",
    "booking-contact": "booking",
    "booking-cancel": "booking",
    "family-messages": "family",
    "referral-letter": "referral",
}


def identifiable_urls(records):
    urls = []
    for name, pattern in _patterns():
        if name in NOT_IDENTIFIABLE:
            continue
        assert name in PK_SOURCE, f"URL {name!r} ({pattern}) is not covered by the scoping walk"
        urls.append(pattern.replace("<int:pk>", str(records[PK_SOURCE[name]].pk)))
    return ["/" + url for url in urls]


@pytest.mark.parametrize("persona", ["colleague_b", "analyst", "outsider", "administrator"])
def test_every_identifiable_url_is_refused_outside_scope(request, client, persona, team_a_records):
    user = request.getfixturevalue(persona)
    login_verified(client, user)
    urls = identifiable_urls(team_a_records)
    assert len(urls) == len(PK_SOURCE)
    statuses = {url: (client.get(url).status_code, client.post(url, {}).status_code) for url in urls}
    assert all(get in (403, 404) and post in (403, 404) for get, post in statuses.values()), statuses
    assert not AuditEvent.objects.filter(user=user, action="read").exists()


def test_every_identifiable_url_opens_for_the_family_team(client, hv, team_a_records):
    client.force_login(hv)
    statuses = {url: client.get(url).status_code for url in identifiable_urls(team_a_records)}
    assert set(statuses.values()) == {200}, statuses


def _reads_per_get(client, user, urls):
    """For each URL: (status, the read events of ``user`` its GET wrote, as (family, break-glass))."""
    seen = {}
    for url in urls:
        before = AuditEvent.objects.filter(user=user, action="read").count()
        status = client.get(url).status_code
        events = AuditEvent.objects.filter(user=user, action="read").order_by("id")[before:]
        seen[url] = (status, [(e.family_id, e.detail.get("break_glass", False)) for e in events])
    return seen


def test_every_identifiable_view_is_declared_as_audited(team_a_records):
    views = {url: resolve(url).func for url in identifiable_urls(team_a_records)}
    assert [url for url, view in views.items() if not getattr(view, "audits_reads", False)] == []


def test_every_identifiable_get_writes_exactly_one_read_event(client, hv, team_a_records):
    client.force_login(hv)
    family_id = team_a_records["family"].pk
    seen = _reads_per_get(client, hv, identifiable_urls(team_a_records))
    assert {url: result for url, result in seen.items() if result != (200, [(family_id, False)])} == {}


def test_every_identifiable_get_under_break_glass_writes_one_marked_read_event(client, colleague_b, team_a_records):
    family_id = team_a_records["family"].pk
    services.grant_break_glass(by=colleague_b, family=team_a_records["family"], reason="Covering a home visit today")
    client.force_login(colleague_b)
    seen = _reads_per_get(client, colleague_b, identifiable_urls(team_a_records))
    assert {url: result for url, result in seen.items() if result != (200, [(family_id, True)])} == {}


def test_a_form_shown_again_with_errors_is_a_read(client, hv, team_a_records):
    client.force_login(hv)
    person = team_a_records["person"]
    response = client.post(f"/people/{person.pk}/edit/", {"given_name": ""})
    assert response.status_code == 200
    assert person.family_name in response.content.decode()
    assert AuditEvent.objects.filter(user=hv, action="read", object_id=str(person.pk)).count() == 1


def test_a_view_that_skips_the_scope_cannot_show_its_page(rf, hv):
    from django.http import HttpResponse

    from pimh.families.reads import UnauditedRead, audited_read

    @audited_read
    def forgetful(request):
        return HttpResponse("a family's names, read without the Scope")

    request = rf.get("/somewhere/")
    request.user = hv
    with pytest.raises(UnauditedRead, match="without reading through the Scope"):
        forgetful(request)
    assert not AuditEvent.objects.filter(action="read").exists()


@pytest.mark.parametrize("persona", ["colleague_b", "analyst", "outsider"])
def test_search_finds_nothing_outside_scope(request, client, persona, team_a_records):
    client.force_login(request.getfixturevalue(persona))
    person = team_a_records["person"]
    response = client.get("/caseload/", {"q": person.nhs_number})
    assert person.family_name not in response.content.decode() or response.status_code == 403


def test_analyst_sees_no_identifiable_page_but_the_overview(client, analyst, team_a_records):
    client.force_login(analyst)
    assert client.get("/caseload/").status_code == 403
    overview = client.get("/overview/")
    assert overview.status_code == 200
    assert team_a_records["person"].family_name not in overview.content.decode()


def test_admin_site_is_for_administrators_only(client, hv, administrator):
    client.force_login(hv)
    assert client.get("/admin/").status_code == 302  # to the admin log-in: not staff
    login_verified(client, administrator)
    admin_index = client.get("/admin/").content.decode()
    assert "Teams" in admin_index
    assert "Families" not in admin_index


def test_break_glass_needs_a_reason_then_opens_and_is_audited(client, colleague_b, lead, team_a_records):
    person = team_a_records["person"]
    family = team_a_records["family"]
    client.force_login(colleague_b)
    refused = client.post("/families/break-glass/", {"nhs_number": person.nhs_number, "reason": ""})
    assert "Give the clinical reason for access" in refused.content.decode()
    assert client.get(f"/families/{family.pk}/").status_code == 404

    granted = client.post(
        "/families/break-glass/", {"nhs_number": person.nhs_number, "reason": "Urgent safeguarding call out of hours"}
    )
    assert granted.status_code == 302
    page = client.get(f"/families/{family.pk}/")
    assert page.status_code == 200
    assert "Break-glass access" in page.content.decode()
    event = AuditEvent.objects.get(user=colleague_b, action="break_glass")
    assert (event.family_id, event.reason) == (family.pk, "Urgent safeguarding call out of hours")
    assert AuditEvent.objects.get(user=colleague_b, action="read").detail == {"break_glass": True}

    client.force_login(lead)
    log = client.get("/team/break-glass/").content.decode()
    assert "Urgent safeguarding call out of hours" in log
    assert colleague_b.display_name in log


def test_break_glass_expires(client, colleague_b, team_a_records, monkeypatch):
    family = team_a_records["family"]
    access = services.grant_break_glass(by=colleague_b, family=family, reason="Covering a home visit today")
    client.force_login(colleague_b)
    assert client.get(f"/families/{family.pk}/").status_code == 200
    # Access rows are append-only: move the clock past the expiry instead of editing the row.
    later = access.expires_at + dt.timedelta(seconds=1)
    monkeypatch.setattr("pimh.families.scope.timezone.now", lambda: later)
    assert client.get(f"/families/{family.pk}/").status_code == 404


def test_break_glass_log_is_for_team_leads_only(client, hv):
    client.force_login(hv)
    assert client.get("/team/break-glass/").status_code == 403


@pytest.mark.parametrize("persona", ["hv", "lead"])
def test_no_rendered_page_shows_a_jinja_macro_object(request, client, persona, team_a_records):
    """A template that passes a macro where text belongs renders "<Macro 'button'>" (issue 10, defect 4)."""
    user = request.getfixturevalue(persona)
    client.force_login(user)
    plain = ["/" + pattern for name, pattern in _patterns() if name in NOT_IDENTIFIABLE and "<" not in pattern]
    pages = {url: client.get(url) for url in identifiable_urls(team_a_records) + plain}
    shown = {
        url: r.content.decode()
        for url, r in pages.items()
        if r.status_code == 200 and r["Content-Type"].startswith("text/html")  # not the PDF letter
    }
    assert len(shown) >= 10
    assert [url for url, html in shown.items() if "<Macro" in html or "&lt;Macro" in html] == []


def test_every_form_error_comes_with_the_nhsuk_error_summary(client, hv, team_a_records):
    """A form sent empty answers with field errors and the error summary above them (issue 10, defect 6)."""
    client.force_login(hv)
    urls = [*identifiable_urls(team_a_records), "/families/register/"]
    answers = {url: client.post(url, {"event": "decline"}).content.decode() for url in urls}
    with_errors = {url: html for url, html in answers.items() if "nhsuk-error-message" in html}
    assert len(with_errors) >= 8
    assert [url for url, html in with_errors.items() if 'class="nhsuk-error-summary"' not in html] == []


def test_break_glass_log_shows_one_page_at_a_time_and_reads_one_page(
    client, colleague_b, lead, team_a_records, team_a, hv, monkeypatch
):
    from pimh.core import views as core_views
    from tests.conftest import make_family
    from tests.rows import rows_for

    monkeypatch.setattr(core_views, "BREAK_GLASS_PAGE_SIZE", 3)

    def grant(count: int) -> None:
        for i in range(count):
            family = make_family(by=hv, team=team_a, allocated_hv=hv)
            services.grant_break_glass(by=colleague_b, family=family, reason=f"Covering visit number {i}")

    client.force_login(lead)
    grant(4)
    small = rows_for(client, "/team/break-glass/")
    grant(16)
    large = rows_for(client, "/team/break-glass/")
    assert (large.rows, len(large.queries)) == (small.rows, len(small.queries)), large.queries
    first = client.get("/team/break-glass/").content.decode()
    assert "20 accesses, newest first" in first and "Page 2 of 7" in first
    assert "Covering visit number 15" in first and "Covering visit number 3" not in first
    last = client.get("/team/break-glass/?page=7").content.decode()
    assert "Covering visit number 0" in last and "Page 6 of 7" in last  # the oldest is still there
