"""API fixtures: personal tokens and an API client that sends one."""

from __future__ import annotations

import pytest


@pytest.fixture
def token_for():
    from pimh.core import tokens as services

    def make(user, days: int = 30) -> str:
        return services.create_token(by=user, name="test script", days=days)[1]

    return make


@pytest.fixture
def api_client(client, token_for):
    """``api_client(user)``: a test client whose requests carry ``user``'s token."""

    def make(user):
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token_for(user)}"
        return client

    return make
