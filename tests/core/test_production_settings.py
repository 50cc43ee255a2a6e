"""No-store for signed-in pages, the client's address behind a proxy, settings' bounds, one-line config errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pimh.config.env import ConfigError, env_int, env_origins
from pimh.core.client_address import client_address
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]

# ---- Cache-Control: no-store ---------------------------------------------------------------


def test_every_signed_in_page_is_not_stored(client, hv, family_a):
    client.force_login(hv)
    for url in ("/caseload/", f"/families/{family_a.pk}/", "/work/", "/help/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url


def test_signing_in_and_out_responses_are_not_stored(client, hv):
    signed_in = client.post("/login/", {"username": "hannah", "password": PASSWORD})
    assert signed_in.status_code == 302
    assert "no-store" in signed_in["Cache-Control"]
    signed_out = client.post("/logout/")
    assert "no-store" in signed_out["Cache-Control"]


def test_a_page_for_anyone_may_be_cached(client):
    response = client.get("/help/")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


# ---- the client's address -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("forwarded", "proxies", "expected"),
    [
        (None, 0, "10.0.0.9"),
        ("203.0.113.7", 0, "10.0.0.9"),  # no trusted proxy: the header is never read
        ("203.0.113.7", 1, "203.0.113.7"),
        ("198.51.100.1, 203.0.113.7", 1, "203.0.113.7"),  # a forged entry on the left is ignored
        ("198.51.100.1, 203.0.113.7, 10.0.0.2", 2, "203.0.113.7"),
        ("203.0.113.7", 2, "10.0.0.9"),  # fewer entries than proxies: the nearest address
        ("not-an-address", 1, "10.0.0.9"),
        ("2001:db8::1", 1, "2001:db8::1"),
        (None, 1, "10.0.0.9"),
    ],
)
def test_client_address(forwarded, proxies, expected):
    meta = {"REMOTE_ADDR": "10.0.0.9"} | ({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {})
    assert client_address(meta, proxies) == expected


def fail_from(client, address, times):
    for _ in range(times):
        client.post(
            "/login/",
            {"username": "hannah", "password": "wrong"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=address,
        )


def test_behind_a_trusted_proxy_the_lock_is_for_username_and_client_address(client, hv, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    fail_from(client, "203.0.113.7", settings.AXES_FAILURE_LIMIT)
    locked = client.post(
        "/login/",
        {"username": "hannah", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert locked.status_code == 429
    elsewhere = client.post(
        "/login/",
        {"username": "hannah", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.4",
    )
    assert elsewhere.status_code == 302


def test_without_a_trusted_proxy_a_forwarded_header_does_not_dodge_the_lock(client, hv, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    fail_from(client, "203.0.113.7", settings.AXES_FAILURE_LIMIT)
    dodge = client.post(
        "/login/",
        {"username": "hannah", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.4",
    )
    assert dodge.status_code == 429


# ---- bounds and validation ------------------------------------------------------------------


def test_whole_numbers_have_upper_bounds():
    assert env_int("N", 5, minimum=1, maximum=20, environ={"N": "20"}) == 20
    with pytest.raises(ConfigError, match=r"^N must be at most 20, not 21$"):
        env_int("N", 5, minimum=1, maximum=20, environ={"N": "21"})


@pytest.mark.parametrize("value", ["https://assets.nhs.uk", "https://fonts.example.org:8443", "https://a.b.c"])
def test_font_hosts_accept_https_origins(value):
    assert env_origins("CSP_FONT_HOSTS", [], environ={"CSP_FONT_HOSTS": value}) == [value]


@pytest.mark.parametrize(
    "value",
    [
        "http://assets.nhs.uk",
        "https://*.nhs.uk",
        "https://assets.nhs.uk/fonts",
        "'unsafe-inline'",
        "https://assets.nhs.uk; script-src *",
        "assets.nhs.uk",
        "https://localhost",
    ],
)
def test_font_hosts_refuse_anything_else(value):
    with pytest.raises(ConfigError, match=r"^CSP_FONT_HOSTS must list https origins"):
        env_origins("CSP_FONT_HOSTS", [], environ={"CSP_FONT_HOSTS": value})


def run_manage(tmp_path, **extra):
    env = {"PATH": os.environ["PATH"], "DEBUG": "true", "PIMH_VAR_DIR": str(tmp_path), **extra}
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("SESSION_IDLE_MINUTES", "100000", "SESSION_IDLE_MINUTES must be at most 480, not 100000"),
        ("SESSION_MAX_HOURS", "48", "SESSION_MAX_HOURS must be at most 24, not 48"),
        ("BREAK_GLASS_HOURS", "1000", "BREAK_GLASS_HOURS must be at most 72, not 1000"),
        ("AXES_FAILURE_LIMIT", "500", "AXES_FAILURE_LIMIT must be at most 20, not 500"),
        ("TRUSTED_PROXY_COUNT", "9", "TRUSTED_PROXY_COUNT must be at most 5, not 9"),
        ("SECOND_FACTOR_LINK_HOURS", "0", "SECOND_FACTOR_LINK_HOURS must be at least 1, not 0"),
        ("CSP_FONT_HOSTS", "https://*.nhs.uk", "CSP_FONT_HOSTS must list https origins"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, not 'LOUD'"),
    ],
)
def test_a_bad_setting_stops_start_up_with_one_clear_line(tmp_path, name, value, message):
    result = run_manage(tmp_path, **{name: value})
    assert result.returncode == 2
    assert result.stderr.startswith(f"pimh: configuration error: {message}")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_the_wsgi_application_also_stops_with_one_line(tmp_path):
    env = {"PATH": os.environ["PATH"], "DEBUG": "false", "SECRET_KEY": "short", "PIMH_VAR_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", "import pimh.config.wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr == (
        "pimh: configuration error: SECRET_KEY must be a random string of at least 50 characters when DEBUG is off\n"
    )
