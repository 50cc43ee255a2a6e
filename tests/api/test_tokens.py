"""The API tokens page: made by the user, shown once, stored hashed, revoked by the owner or an administrator."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pimh.core import tokens as services
from pimh.core.models import ApiToken, AuditEvent

pytestmark = pytest.mark.django_db


def test_a_new_token_is_shown_once_then_only_its_start(client, hv):
    client.force_login(hv)
    response = client.post("/account/api-tokens/", {"name": "My script", "days": "30"})
    assert response.status_code == 302
    shown = client.get("/account/api-tokens/").content.decode()
    token = ApiToken.objects.get(user=hv)
    plain = shown.split('<code id="new-token">')[1].split("</code>")[0]
    assert services.digest(plain) == token.digest
    assert plain not in client.get("/account/api-tokens/").content.decode()
    assert AuditEvent.objects.filter(user=hv, action="create", object_type="core.ApiToken").count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "days": "30"}, "name", "Enter what the token is for"),
        ({"name": "x", "days": "0"}, "days", "Enter a number of days from 1 to 365"),
        ({"name": "x", "days": "366"}, "days", "Enter a number of days from 1 to 365"),
    ],
)
def test_bad_token_requests_are_refused_with_a_clear_error(client, hv, data, field, message):
    client.force_login(hv)
    response = client.post("/account/api-tokens/", data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_service_refuses_the_same_bounds():
    with pytest.raises(ValidationError) as error:
        services.check_token_request(name=" ", days=366)
    assert set(error.value.message_dict) == {"name", "days"}


def test_the_owner_revokes_a_token_from_the_page(client, hv, colleague_b):
    token, _ = services.create_token(by=hv, name="script", days=10)
    client.force_login(colleague_b)
    assert client.post(f"/account/api-tokens/{token.pk}/revoke/").status_code == 404
    client.force_login(hv)
    assert client.post(f"/account/api-tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == hv and not token.is_active


def test_only_the_owner_or_an_administrator_may_revoke(hv, colleague_b, administrator):
    token, _ = services.create_token(by=hv, name="script", days=10)
    with pytest.raises(PermissionDenied):
        services.revoke_token(by=colleague_b, token=token)
    services.revoke_token(by=administrator, token=token)
    token.refresh_from_db()
    assert token.revoked_by == administrator


def test_administrators_revoke_any_token_from_the_admin(client, hv, administrator):
    from tests.conftest import login_verified

    token, _ = services.create_token(by=hv, name="script", days=10)
    login_verified(client, administrator)
    response = client.post("/admin/core/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}, follow=False)
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == administrator
