"""gunicorn's configuration for the production server (``gunicorn -c python:pimh.config.gunicorn``).

The Django settings are loaded here, in the arbiter, so that a bad setting stops
start-up with one line before any worker starts; the access log and gunicorn's
own messages go through the same redacting filter as Django's logs.
"""

from __future__ import annotations

import multiprocessing
import os

from pimh.config.env import config_errors_as_one_line, env_int, env_str
from pimh.core.logging import logging_config

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pimh.config.settings")


def compile_templates() -> int:
    """Compile every Jinja template once in the arbiter, so that forked workers answer their first requests fast."""
    from django.template import engines

    environment = engines["jinja2"].env  # type: ignore[attr-defined]
    names = environment.list_templates(extensions=["jinja"])
    for name in names:
        environment.get_template(name)
    return len(names)


with config_errors_as_one_line():
    import django

    django.setup()
    bind = [env_str("BIND", "127.0.0.1:8000")]
    workers = env_int("WEB_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 8), minimum=1, maximum=32)
    threads = env_int("WEB_THREADS", 1, minimum=1, maximum=16)
    timeout = env_int("WEB_TIMEOUT_SECONDS", 30, minimum=5, maximum=300)
    logconfig_dict = logging_config(env_str("LOG_LEVEL", "WARNING"), gunicorn=True)

compile_templates()
wsgi_app = "pimh.config.wsgi:application"
worker_class = "gthread" if threads > 1 else "sync"
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
preload_app = True
control_socket_disable = True  # no runtime control socket (read-only home in the container)
graceful_timeout = 20
max_requests = 2000
max_requests_jitter = 200
