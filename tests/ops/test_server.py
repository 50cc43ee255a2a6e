"""The production server: gunicorn with production settings, hashed compressed static files, a redacted access log."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_env(tmp_path: Path, port: int) -> dict[str, str]:
    return {
        "PATH": f"{BIN}:{os.environ['PATH']}",
        "DEBUG": "false",
        "SECRET_KEY": "k" * 30 + "-production-secret-key-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PIMH_VAR_DIR": str(tmp_path),
        "SECURE_SSL_REDIRECT": "false",  # plain HTTP on the loopback in this test
        "BIND": f"127.0.0.1:{port}",
        "WEB_WORKERS": "1",
        "LOG_LEVEL": "INFO",
    }


def get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - a local test server
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("server")
    port = free_port()
    env = production_env(tmp_path, port)
    for step in (["migrate", "--no-input", "-v", "0"], ["collectstatic", "--no-input", "-v", "0"]):
        subprocess.run([sys.executable, "manage.py", *step], cwd=ROOT, env=env, check=True, capture_output=True)
    log = tmp_path / "gunicorn.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "python:pimh.config.gunicorn"], cwd=ROOT, env=env, stdout=out, stderr=out
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if get(f"{base}/health/live")[0] == 200:
                break
        except OSError:
            time.sleep(0.3)
    yield base, log
    process.terminate()
    process.wait(timeout=20)


def test_health_endpoints(server):
    base, _ = server
    assert get(f"{base}/health/live")[0] == 200
    status, _, body = get(f"{base}/health/ready")
    assert (status, body) == (200, b'{"status": "ready"}')


def test_static_files_are_hashed_compressed_and_cached_for_ever(server):
    base, _ = server
    status, headers, body = get(f"{base}/login/")
    assert status == 200
    stylesheet = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', body.decode()).group(1)
    status, headers, _ = get(f"{base}{stylesheet}", **{"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "immutable" in headers["Cache-Control"]


def test_the_access_log_is_redacted(server):
    base, log = server
    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(f"{base}/caseload/?q=Zebedee+9434765919", timeout=10)
    except urllib.error.HTTPError as error:
        assert error.code == 302
    time.sleep(0.5)
    text = log.read_text()
    assert '"GET /caseload/?[redacted] HTTP/1.1" 302' in text
    assert "Zebedee" not in text
    assert "9434765919" not in text


def test_a_bad_setting_stops_gunicorn_with_one_line(tmp_path):
    env = production_env(tmp_path, free_port()) | {"SESSION_MAX_HOURS": "99"}
    result = subprocess.run(
        [str(BIN / "gunicorn"), "-c", "python:pimh.config.gunicorn"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "pimh: configuration error: SESSION_MAX_HOURS must be at most 24, not 99" in result.stderr
    assert "Traceback" not in result.stderr
