"""No NHS number or name reaches a log line: messages, URLs' query strings, tracebacks, every handler."""

from __future__ import annotations

import io
import logging
import logging.config

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import path

from pimh.core.logging import RedactFilter, logging_config, redact, redacted_traceback

NHS_NUMBER = "943 476 5919"
NAME = "Zebedee"


def capture(config_name: str = "console") -> tuple[logging.Handler, io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactFilter())
    handler.setFormatter(logging.Formatter("%(message)s"))
    return handler, stream


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("GET /families/search/?q=Zebedee+Smith HTTP/1.1", "GET /families/search/?[redacted] HTTP/1.1"),
        ('"GET /caseload/?nhs=9434765919&page=2 HTTP/1.1" 200', '"GET /caseload/?[redacted] HTTP/1.1" 200'),
        ("number 943 476 5919 and 943-476-5919", "number [redacted] and [redacted]"),
        ("family 12345 at 10:30", "family 12345 at 10:30"),
    ],
)
def test_redact(text, expected):
    assert redact(text) == expected


def raise_with_data():
    try:
        raise LookupError(f"no family for {NHS_NUMBER}")
    except LookupError as error:
        raise ValueError(f"search for {NAME} failed") from error


def test_a_traceback_keeps_its_frames_but_withholds_messages():
    try:
        raise_with_data()
    except ValueError as error:
        text = redacted_traceback((type(error), error, error.__traceback__))
    assert "raise_with_data" in text
    assert "LookupError: [message withheld]" in text
    assert text.endswith("ValueError: [message withheld]")
    assert NAME not in text
    assert "943" not in text


def test_the_filter_redacts_message_arguments_and_exceptions():
    handler, stream = capture()
    logger = logging.getLogger("pimh.test.redaction")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("searched %s for %s", "/families/search/?q=Zebedee", NHS_NUMBER)
        try:
            raise_with_data()
        except ValueError:
            logger.exception("request failed")
    finally:
        logger.removeHandler(handler)
    output = stream.getvalue()
    assert "searched /families/search/?[redacted] for [redacted]" in output
    assert "ValueError: [message withheld]" in output
    assert NAME not in output
    assert "9434765919" not in output.replace(" ", "")


def test_every_handler_of_the_configured_loggers_has_the_filter():
    logging.config.dictConfig(settings.LOGGING)
    names = ["", "django", "django.request", "django.server", "django.security", "pimh", "axes"]
    for name in names:
        logger = logging.getLogger(name)
        while logger is not None:
            for handler in logger.handlers:
                assert any(isinstance(f, RedactFilter) for f in handler.filters), (name, handler)
            logger = logger.parent if logger.propagate else None


def test_gunicorn_config_redacts_the_access_log_atoms():
    config = logging_config("INFO", gunicorn=True)
    assert config["loggers"]["gunicorn.access"]["handlers"] == ["access"]
    assert config["handlers"]["access"]["filters"] == ["no_patient_data"]
    assert config["loggers"]["gunicorn.error"]["handlers"] == ["console"]
    handler, stream = capture()
    record = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, '%(h)s "%(r)s" %(s)s', None, None)
    record.args = {"h": "10.0.0.1", "r": f"GET /families/search/?q={NAME} HTTP/1.1", "s": "200"}
    handler.handle(record)
    assert stream.getvalue() == '10.0.0.1 "GET /families/search/?[redacted] HTTP/1.1" 200\n'


def broken_view(request):
    raise ValueError(f"could not match {NAME} {NHS_NUMBER}")


urlpatterns = [path("broken/", broken_view)]


@override_settings(ROOT_URLCONF=__name__, DEBUG_PROPAGATE_EXCEPTIONS=False)
def test_an_unhandled_error_is_logged_without_patient_data(client, hv):
    handler, stream = capture()
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    client.raise_request_exception = False
    client.force_login(hv)
    try:
        response = client.get(f"/broken/?q={NAME}")
    finally:
        logger.removeHandler(handler)
    assert response.status_code == 500
    output = stream.getvalue()
    assert "Internal Server Error: /broken/" in output
    assert "ValueError: [message withheld]" in output
    assert "broken_view" in output
    assert NAME not in output
    assert "943" not in output
