"""Log-in protection, second factor, idle timeout, audit integrity, deploy checks."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from pimh.core.models import AuditEvent
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def test_login_then_my_work(client, hv):
    response = client.post("/login/", {"username": "hannah", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/work/"
    assert AuditEvent.objects.filter(user=hv, action="login").count() == 1


def test_a_team_lead_lands_on_the_team_view(client, lead):
    response = client.post("/login/", {"username": lead.username, "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/team/"


def test_wrong_password_gives_a_clear_error(client, hv):
    response = client.post("/login/", {"username": "hannah", "password": "wrong"})
    assert "Enter a correct username and password" in response.content.decode()


def test_account_locks_after_repeated_failures(client, hv, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": "hannah", "password": "wrong"})
    locked = client.post("/login/", {"username": "hannah", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Your account is locked" in locked.content.decode()
    assert AuditEvent.objects.filter(action="login_failed").count() >= settings.AXES_FAILURE_LIMIT


def test_administrator_must_set_up_a_second_factor_from_an_enrolment_link(client, administrator):
    from pimh.core import services

    client.force_login(administrator)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith("/account/second-factor/enrolment-needed/")
    link = services.enrolment_path(services.create_enrolment_link(by=None, user=administrator))
    page = client.get(link).content.decode()
    assert "Set up your authenticator app" in page
    device = TOTPDevice.objects.get(user=administrator, confirmed=False)
    wrong_code = (totp(device.bin_key) + 1) % 1_000_000
    wrong = client.post(link, {"token": f"{wrong_code:06d}"})
    assert "The code is not right" in wrong.content.decode()
    assert client.get("/admin/").status_code == 302
    device.refresh_from_db()
    device.throttle_reset()  # django-otp slows retries after a failure
    ok = client.post(link, {"token": f"{totp(device.bin_key):06d}"})
    assert ok.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_practitioner_with_a_device_must_enter_a_code(client, hv):
    device = TOTPDevice.objects.create(user=hv, name="phone", confirmed=True)
    client.force_login(hv)
    assert client.get("/caseload/").url.startswith("/account/second-factor/")
    client.post("/account/second-factor/", {"token": f"{totp(device.bin_key):06d}"})
    assert client.get("/caseload/").status_code == 200


def test_practitioner_without_a_device_is_not_asked(client, hv):
    client.force_login(hv)
    assert client.get("/caseload/").status_code == 200


def test_session_ends_after_inactivity(client, hv, settings):
    client.force_login(hv)
    assert client.get("/caseload/").status_code == 200
    session = client.session
    session["last_seen"] = int(time.time()) - settings.SESSION_IDLE_MINUTES * 60 - 1
    session.save()
    response = client.get("/caseload/")
    assert response.status_code == 302
    assert response.url.startswith("/login/")
    assert client.get("/caseload/").status_code == 302


def test_audit_events_are_append_only(hv, family_a):
    event = AuditEvent.objects.filter(family_id=family_a.pk).first()
    event.reason = "tampered"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="tampered")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


def test_reading_a_family_record_is_audited(client, hv, family_a):
    client.force_login(hv)
    client.get(f"/families/{family_a.pk}/")
    event = AuditEvent.objects.get(action="read")
    assert (event.user, event.family_id, event.object_type) == (hv, family_a.pk, "families.Family")
    assert event.at <= timezone.now()


def test_audit_detail_holds_no_patient_data(client, hv, family_a):
    names = {p.family_name for p in family_a.people.all()} | {p.nhs_number for p in family_a.people.all()}
    text = " ".join(str(e.detail) + e.reason for e in AuditEvent.objects.all())
    assert not any(value and value in text for value in names)


def test_responses_carry_a_strict_content_security_policy(client):
    policy = client.get("/login/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "font-src 'self' https://assets.nhs.uk" in policy
    assert "frame-ancestors 'none'" in policy


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "DEBUG": "false",
        "SECRET_KEY": "x" * 30 + "-production-secret-key-0123456789",
        "ALLOWED_HOSTS": "pimh.example.nhs.uk",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PIMH_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_a_weak_secret_key(tmp_path):
    env = {"PATH": os.environ["PATH"], "DEBUG": "false", "SECRET_KEY": "short", "PIMH_VAR_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be a random string of at least 50 characters" in result.stderr
