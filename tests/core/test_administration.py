"""Administrators administer, clinicians see records; password resets and second-factor enrolment are audited."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from pimh import cli
from pimh.core import services
from pimh.core.models import AuditEvent, BreakGlassAccess, SecondFactorEnrolment
from tests.conftest import PASSWORD, login_verified, make_user

# ---- administrators do not pass clinical checks ---------------------------------------


def test_a_superuser_administrator_has_model_permissions_but_no_clinical_ones(administrator):
    assert administrator.is_superuser
    assert administrator.has_perm("core.change_user")
    assert not administrator.has_perm("families.view_family")
    assert not administrator.has_perm("families.change_family")
    assert not administrator.has_perm("core.view_break_glass_log")
    assert not administrator.has_perm("core.view_aggregates")
    assert administrator.has_perm("core.administer")


def test_a_django_permission_granted_to_an_analyst_does_not_open_records(analyst):
    from django.contrib.auth.models import Permission

    analyst.user_permissions.add(Permission.objects.get(codename="view_family"))
    analyst = type(analyst).objects.get(pk=analyst.pk)  # fresh permission cache
    assert not analyst.has_perm("families.view_family")


def test_clinical_roles_still_pass(hv, lead):
    assert hv.has_perm("families.view_family")
    assert lead.has_perm("core.view_break_glass_log")


def test_an_administrator_cannot_use_break_glass_or_read_its_log(client, administrator, hv, family_a, team_a):
    administrator.teams.add(team_a)
    BreakGlassAccess.objects.create(
        user=hv,
        family=family_a,
        reason="Safeguarding call out of hours",
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )
    login_verified(client, administrator)
    assert client.get("/families/break-glass/").status_code == 403
    nhs_number = family_a.people.first().nhs_number
    assert client.post("/families/break-glass/", {"nhs_number": nhs_number, "reason": "x" * 30}).status_code == 403
    log = client.get("/team/break-glass/")
    assert log.status_code == 403
    assert "Safeguarding call" not in log.content.decode()
    assert client.get(f"/families/{family_a.pk}/").status_code == 403
    assert BreakGlassAccess.objects.filter(user=administrator).count() == 0


# ---- an administrator setting another user's password is audited ----------------------


def test_an_administrator_setting_a_password_is_audited(client, administrator, hv):
    login_verified(client, administrator)
    response = client.post(
        f"/admin/core/user/{hv.pk}/password/",
        {"password1": "a-new-long-passphrase-7", "password2": "a-new-long-passphrase-7", "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    hv.refresh_from_db()
    assert hv.check_password("a-new-long-passphrase-7")
    event = AuditEvent.objects.get(object_type="core.User", object_id=str(hv.pk), action="update")
    assert event.user == administrator
    assert event.detail == {"fields": ["password"], "password_usable": True, "by_administrator": True}
    assert "passphrase" not in str(event.detail)


def test_a_refused_password_is_not_audited(client, administrator, hv):
    login_verified(client, administrator)
    response = client.post(
        f"/admin/core/user/{hv.pk}/password/", {"password1": "short", "password2": "short", "usable_password": "true"}
    )
    assert response.status_code == 200
    assert not AuditEvent.objects.filter(object_type="core.User", object_id=str(hv.pk)).exists()
    hv.refresh_from_db()
    assert hv.check_password(PASSWORD)


# ---- second factor: administrators enrol from a one-time link --------------------------


def test_a_new_administrator_cannot_enrol_themselves(client, administrator):
    client.force_login(administrator)
    response = client.get("/admin/")
    assert response.url.startswith("/account/second-factor/enrolment-needed/")
    assert client.get("/account/second-factor/set-up/").url == "/account/second-factor/enrolment-needed/"
    page = client.get("/account/second-factor/enrolment-needed/").content.decode()
    assert "You need an enrolment link" in page
    assert "pimh second-factor-link ada" in page
    assert not TOTPDevice.objects.filter(user=administrator).exists()


def enrol(client, user, token):
    page = client.get(f"/account/second-factor/enrol/{token}/")
    assert page.status_code == 200
    assert "Set up your authenticator app" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    return client.post(f"/account/second-factor/enrol/{token}/", {"token": f"{totp(device.bin_key):06d}"})


def test_another_administrator_makes_a_link_that_works_once(client, administrator):
    second = make_user("bea", "admin", is_staff=True, is_superuser=True)
    login_verified(client, administrator)
    page = client.post(
        "/admin/core/user/", {"action": "make_enrolment_link", "_selected_action": [second.pk]}
    ).content.decode()
    link = re.search(r"http://testserver(/account/second-factor/enrol/[\w-]+/)", page).group(1)
    assert "bea" in page
    made = AuditEvent.objects.get(object_type="core.SecondFactorEnrolment")
    assert (made.user, made.detail["user"]) == (administrator, second.pk)

    client.logout()
    client.force_login(second)
    token = link.rsplit("/", 2)[-2]
    assert enrol(client, second, token).url == "/"
    assert client.get("/admin/").status_code == 200
    assert TOTPDevice.objects.get(user=second).confirmed
    assert AuditEvent.objects.filter(user=second, detail__second_factor="enrolled_with_link").count() == 1

    again = client.get(link)
    assert again.status_code == 404
    assert "This enrolment link cannot be used" in again.content.decode()


def test_an_administrator_cannot_make_their_own_link(administrator):
    with pytest.raises(services.EnrolmentError, match="another administrator"):
        services.create_enrolment_link(by=administrator, user=administrator)


def test_a_link_is_only_for_its_own_account(client, administrator, hv):
    token = services.create_enrolment_link(by=None, user=administrator)
    client.force_login(hv)
    assert client.get(f"/account/second-factor/enrol/{token}/").status_code == 404
    assert not TOTPDevice.objects.filter(user=hv).exists()


def test_an_expired_link_is_refused(client, administrator):
    token = services.create_enrolment_link(by=None, user=administrator)
    SecondFactorEnrolment.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    client.force_login(administrator)
    assert client.get(f"/account/second-factor/enrol/{token}/").status_code == 404


def test_a_new_link_replaces_an_unused_one(client, administrator):
    first = services.create_enrolment_link(by=None, user=administrator)
    second = services.create_enrolment_link(by=None, user=administrator)
    client.force_login(administrator)
    assert client.get(f"/account/second-factor/enrol/{first}/").status_code == 404
    assert client.get(f"/account/second-factor/enrol/{second}/").status_code == 200


def test_only_a_digest_of_the_token_is_stored(administrator):
    token = services.create_enrolment_link(by=None, user=administrator)
    stored = SecondFactorEnrolment.objects.get()
    assert token not in stored.token_digest
    assert len(stored.token_digest) == 64


def test_enrolling_from_a_link_replaces_a_lost_authenticator(client, administrator):
    lost = TOTPDevice.objects.create(user=administrator, name="lost phone", confirmed=True)
    token = services.create_enrolment_link(by=None, user=administrator)
    client.force_login(administrator)
    enrol(client, administrator, token)
    assert not TOTPDevice.objects.filter(pk=lost.pk).exists()
    assert TOTPDevice.objects.filter(user=administrator, confirmed=True).count() == 1


ENVIRON = {"DJANGO_SETTINGS_MODULE": "tests.settings"}


def test_the_cli_prints_a_link(capsys, administrator, settings):
    status = cli.main(["second-factor-link", "ada", "--base-url", "https://pimh.example.nhs.uk"], ENVIRON)
    out, err = capsys.readouterr()
    assert (status, err) == (0, "")
    assert re.match(r"https://pimh\.example\.nhs\.uk/account/second-factor/enrol/[\w-]{40,}/\n", out)
    assert f"for {settings.SECOND_FACTOR_LINK_HOURS} hours" in out
    made = AuditEvent.objects.get(object_type="core.SecondFactorEnrolment")
    assert made.user is None


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["second-factor-link", "nobody"], "pimh: error: no account with the username 'nobody'\n"),
        (
            ["second-factor-link", "ada", "--base-url", "ftp://x"],
            "pimh: error: argument --base-url: expected the service's address such as https://pimh.example.nhs.uk, not 'ftp://x'\n",
        ),
    ],
)
def test_the_cli_refuses_bad_input(capsys, administrator, argv, message):
    status = cli.main(argv, ENVIRON)
    assert (status, capsys.readouterr().err) == (2, message)
    assert not SecondFactorEnrolment.objects.exists()
