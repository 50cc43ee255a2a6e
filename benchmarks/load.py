"""Load test: concurrent health visitors against the production server on PostgreSQL.

Starts a throwaway PostgreSQL cluster, loads the demo service, starts gunicorn with
production settings (as ``make serve`` does), then runs locust headless (behaviour in
benchmarks/load_users.py) for each number of users in turn and prints, per endpoint,
requests per second, median, 95th and 99th percentile response times and errors.

    .venv/bin/python benchmarks/load.py [--users 20,50] [--minutes 3] [--children 2500]

Everything runs on this machine, the load generator included: on a shared machine
the figures are a lower bound of what the server alone could do.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

from tests.postgres import throwaway_cluster  # noqa: E402

from pimh.demo import DEMO_PASSWORD  # noqa: E402

HEALTH_VISITORS = [f"hv{n}" for n in range(1, 10)]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_env(database: dict[str, str], folder: Path, port: int, workers: int) -> dict[str, str]:
    url = f"postgres://{database['USER']}@{quote(database['HOST'], safe='')}/{database['NAME']}"
    return {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "load-" + "x" * 60,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": url,
        "DB_CONN_MAX_AGE": "60",
        "PIMH_VAR_DIR": str(folder),
        "SECURE_SSL_REDIRECT": "false",
        "BIND": f"127.0.0.1:{port}",
        "WEB_WORKERS": str(workers),
        "AXES_FAILURE_LIMIT": "20",
        "LOG_LEVEL": "WARNING",
    }


def run(command: list[str], env: dict[str, str]) -> None:
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603 - our own commands


def wait_until_live(base: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/health/ready", timeout=5) as response:  # noqa: S310 - local
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("gunicorn did not become ready")


def report(stats_csv: Path, users: int, minutes: float) -> str:
    lines = [
        f"{users} users, {minutes:g} min:",
        f"  {'endpoint':<24} {'requests':>8} {'req/s':>7} {'median':>7} {'p95':>6} {'p99':>6} {'errors':>6}",
    ]
    with stats_csv.open() as file:
        for row in csv.DictReader(file):
            name = row["Name"] if row["Name"] != "Aggregated" else "all"
            lines.append(
                f"  {name:<24} {row['Request Count']:>8} {float(row['Requests/s']):>7.1f} "
                f"{row['50%']:>5}ms {row['95%']:>4}ms {row['99%']:>4}ms {row['Failure Count']:>6}"
            )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", default="20,50", help="comma-separated numbers of concurrent users (default 20,50)")
    parser.add_argument("--minutes", type=float, default=3.0, help="duration of each run in minutes (default 3)")
    parser.add_argument("--children", type=int, default=2500, help="size of the demo population (default 2500)")
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (default: gunicorn config's)")
    args = parser.parse_args()
    user_counts = [int(n) for n in args.users.split(",")]

    print(f"{platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    with throwaway_cluster() as database, tempfile.TemporaryDirectory(prefix="pimh-load-") as tmp:
        folder = Path(tmp)
        port = free_port()
        env = server_env(database, folder, port, args.workers)
        if not args.workers:
            env.pop("WEB_WORKERS")
        run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], env)
        run([str(BIN / "pimh"), "demo", "--children", str(args.children)], env)
        run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"], env)
        # The access log would compete for the CPU with the server: discarded.
        server = subprocess.Popen(  # noqa: S603
            [str(BIN / "gunicorn"), "-c", "python:pimh.config.gunicorn"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_live(base)
            for users in user_counts:
                prefix = folder / f"users{users}"
                subprocess.run(  # noqa: S603
                    [
                        str(BIN / "locust"),
                        "-f",
                        str(ROOT / "benchmarks" / "load_users.py"),
                        "--headless",
                        "--users",
                        str(users),
                        "--spawn-rate",
                        "5",
                        "--run-time",
                        f"{int(args.minutes * 60)}s",
                        "--host",
                        base,
                        "--csv",
                        str(prefix),
                        "--only-summary",
                        "--loglevel",
                        "WARNING",
                    ],
                    cwd=ROOT,
                    env={
                        **os.environ,
                        "PIMH_LOAD_LOGINS": ",".join(HEALTH_VISITORS),
                        "PIMH_LOAD_PASSWORD": DEMO_PASSWORD,
                    },
                    check=False,
                    stdout=subprocess.DEVNULL,
                )
                print(report(Path(f"{prefix}_stats.csv"), users, args.minutes), flush=True)
        finally:
            server.terminate()
            server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
