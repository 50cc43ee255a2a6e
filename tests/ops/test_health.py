"""/health/live and /health/ready: unauthenticated, no identifiable data, before the host check."""

from __future__ import annotations

import json

import pytest
from django.db import DatabaseError

from pimh.core import health


def test_live_answers_without_touching_the_database(client):
    # No db fixture: pytest-django fails any query here.
    response = client.get("/health/live")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "live"}
    assert response["Cache-Control"] == "no-store"
    assert "sessionid" not in response.cookies


def test_ready_when_the_database_answers_and_is_migrated(client, db, monkeypatch):
    monkeypatch.setattr(health, "_migrated", False)
    response = client.get("/health/ready")
    assert (response.status_code, json.loads(response.content)) == (200, {"status": "ready"})


def test_not_ready_with_unapplied_migrations(client, db, monkeypatch):
    monkeypatch.setattr(health, "_migrated", False)
    monkeypatch.setattr(health, "_unapplied_migrations", lambda: True)
    response = client.get("/health/ready")
    assert (response.status_code, json.loads(response.content)) == (503, {"status": "migrations not applied"})


def test_not_ready_when_the_database_is_down(client, db, monkeypatch):
    class Down:
        def cursor(self):
            raise DatabaseError("connection refused")

    monkeypatch.setattr(health, "connection", Down())
    response = client.get("/health/ready")
    assert (response.status_code, json.loads(response.content)) == (503, {"status": "database unavailable"})


@pytest.mark.parametrize("path", ["/health/live", "/health/live/"])
def test_probes_work_on_plain_http_with_any_host_name(client, settings, path):
    settings.ALLOWED_HOSTS = ["pimh.example.nhs.uk"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(path, HTTP_HOST="10.1.2.3:8000")
    assert response.status_code == 200
    assert client.get("/login/", HTTP_HOST="10.1.2.3:8000").status_code == 400
