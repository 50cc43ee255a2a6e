"""``SCREENING_THRESHOLDS_FILE`` is read at start-up; a bad file stops the service with a clear message."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOW = "from django.conf import settings; t = settings.SCREENING_THRESHOLDS; print(t.version, t.epds, t.for_role('father').epds)"


def run_shell(tmp_path, thresholds_file):
    env = {
        "PATH": os.environ["PATH"],
        "DEBUG": "true",
        "PIMH_VAR_DIR": str(tmp_path),
        "SCREENING_THRESHOLDS_FILE": str(thresholds_file),
    }
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", SHOW],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_configured_file_becomes_the_setting(tmp_path):
    path = tmp_path / "thresholds.json"
    path.write_text(json.dumps({"version": "trust-2026-1", "cutoffs": {"epds": 12}, "father_or_partner": {"epds": 9}}))
    result = run_shell(tmp_path, path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["trust-2026-1", "12", "9"]


def test_a_bad_file_stops_start_up_naming_the_variable(tmp_path):
    path = tmp_path / "thresholds.json"
    path.write_text(json.dumps({"version": "v", "cutoffs": {"epds": -2}}))
    result = run_shell(tmp_path, path)
    assert result.returncode != 0
    assert "SCREENING_THRESHOLDS_FILE" in result.stderr
    assert "epds must be a whole number of 0 or more" in result.stderr
