"""Settings for the test suite: the real settings, with development-safe environment defaults."""

import os

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("STATIC_FROM_FINDERS", "true")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

from pimh.config.settings import *  # noqa: F403

# Hashing strength is irrelevant in tests and slow on two cores.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# PIMH_TEST_DATABASE=postgresql: a throwaway PostgreSQL cluster for this test session.
if os.environ.get("PIMH_TEST_DATABASE") == "postgresql":
    from tests.postgres import start_for_session

    DATABASES = {"default": start_for_session()}
