"""The WSGI application (gunicorn ``pimh.config.wsgi:application``). A bad setting stops it with one line."""

import os

from django.core.wsgi import get_wsgi_application

from pimh.config.env import config_errors_as_one_line

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pimh.config.settings")
with config_errors_as_one_line():
    application = get_wsgi_application()
