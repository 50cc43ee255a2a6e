"""Consent to refer: the pure rule, the services and the referral pages."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from pimh.core.models import AuditEvent
from pimh.referrals import consent, services
from pimh.referrals.models import Referral
from tests.referrals.test_views import form_data

# ---- the rule (no database) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "note", "problems"),
    [
        ("given", "", {}),
        ("not_given", "", {}),  # may be recorded on a draft; sending is what it stops
        ("not_needed", "Lacks capacity: emergency admission", {}),
        ("not_needed", "   ", {"consent_note": "Give the reason consent is not needed"}),
        ("", "", {}),
        ("maybe", "", {"consent": "Choose whether the person consented to the referral"}),
        ("given", "x" * 201, {"consent_note": "The reason must be 200 characters or fewer (it has 201)"}),
    ],
)
def test_what_can_be_recorded(given, note, problems):
    assert consent.recording_problems(given, note) == problems


@pytest.mark.parametrize(
    ("given", "note", "field"),
    [
        ("given", "", None),
        ("not_needed", "Emergency: no capacity", None),
        ("not_given", "Safeguarding: risk to the infant", None),
        ("not_given", "", "consent_note"),
        ("not_given", "  ", "consent_note"),
        ("", "", "consent"),
        ("not_needed", "", "consent_note"),
    ],
)
def test_what_can_be_sent(given, note, field):
    assert next(iter(consent.send_problems(given, note)), None) == field


# ---- services ------------------------------------------------------------------------------


def _draft(hv, family, service, **consent_fields):
    return services.create_referral(
        by=hv,
        family=family,
        person=family.people.get(role="birthing_parent"),
        service=service,
        urgency="routine",
        reason_code="depression",
        **consent_fields,
    )


def test_a_referral_without_consent_recorded_is_not_sent(hv, family_a, infant_service):
    referral = _draft(hv, family_a, infant_service)
    with pytest.raises(ValidationError, match="Record whether the person consented"):
        services.send(by=hv, referral=referral)
    referral.refresh_from_db()
    assert (referral.status, referral.sent_on) == ("draft", None)


def test_consent_not_given_is_sent_only_with_the_reason_to_override(hv, family_a, infant_service):
    refused = _draft(hv, family_a, infant_service, consent="not_given")
    with pytest.raises(ValidationError, match="record the reason to refer without it"):
        services.send(by=hv, referral=refused)
    assert Referral.objects.get(pk=refused.pk).status == "draft"

    override = _draft(hv, family_a, infant_service, consent="not_given", consent_note="Safeguarding: risk to baby")
    services.send(by=hv, referral=override)
    override.refresh_from_db()
    assert (override.status, override.consent, override.consent_note) == (
        "sent",
        "not_given",
        "Safeguarding: risk to baby",
    )


def test_consent_recorded_on_a_draft_is_audited_then_it_can_be_sent(hv, family_a, infant_service):
    referral = _draft(hv, family_a, infant_service)
    services.record_consent(by=hv, referral=referral, consent="given")
    event = AuditEvent.objects.filter(object_type="referrals.Referral", action="update").latest("id")
    assert event.detail == {"consent": "given"}
    services.send(by=hv, referral=referral)
    assert Referral.objects.get(pk=referral.pk).status == "sent"


def test_consent_cannot_be_changed_after_sending(hv, draft_referral):
    services.send(by=hv, referral=draft_referral)
    with pytest.raises(ValidationError, match="before the referral is sent"):
        services.record_consent(by=hv, referral=draft_referral, consent="not_given")
    assert Referral.objects.get(pk=draft_referral.pk).consent == "given"


# ---- pages ---------------------------------------------------------------------------------


def test_the_referral_form_needs_consent_and_the_override_reason(client, hv, family_a, infant_service):
    client.force_login(hv)
    url = f"/families/{family_a.pk}/referrals/add/"
    missing = client.post(url, form_data(family_a, infant_service, consent="")).content.decode()
    assert "There is a problem" in missing and "Choose whether the person consented to the referral" in missing
    refused = client.post(url, form_data(family_a, infant_service, consent="not_given")).content.decode()
    assert "There is a problem" in refused and "record the reason to refer without it" in refused
    assert not Referral.objects.exists()

    sent = client.post(
        url, form_data(family_a, infant_service, consent="not_given", consent_note="Safeguarding concern")
    )
    referral = Referral.objects.get()
    assert sent.status_code == 302
    assert (referral.status, referral.consent_note) == ("sent", "Safeguarding concern")
    page = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert "Consent not given: Safeguarding concern" in page


def test_consent_is_recorded_on_a_draft_from_its_page(client, hv, family_a, infant_service):
    referral = _draft(hv, family_a, infant_service)
    client.force_login(hv)
    response = client.post(
        f"/referrals/{referral.pk}/",
        {"event": "record_consent", "seen_status": "draft", "consent-consent": "given"},
    )
    assert response.status_code == 302
    assert Referral.objects.get(pk=referral.pk).consent == "given"
