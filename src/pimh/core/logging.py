"""Logging that keeps patient identifiers out of every log line (Django-free).

``RedactFilter`` sits on every handler (``logging_config`` builds Django's
LOGGING and gunicorn's ``logconfig_dict`` from one place). It

- replaces anything shaped like an NHS number (ten digits, spaced or not);
- drops query strings from URLs, where searches carry names and NHS numbers
  (``/families/search/?q=Smith`` is logged as ``/families/search/?[redacted]``);
- formats a traceback itself, keeping the frames (file, line, function) but
  withholding every exception's message, which may quote a value;
- drops the request that Django attaches to error records, and gunicorn's
  access-log arguments, after redacting them.
"""

from __future__ import annotations

import logging
import re
import traceback
from types import TracebackType
from typing import Any

from pimh.config.env import ConfigError

_TEN_DIGITS = re.compile(r"(?<!\d)\d{3}[ -]?\d{3}[ -]?\d{4}(?!\d)")
# A query string: from "?" up to a space, quote or end of line.
_QUERY = re.compile(r"\?[^\s\"']+")
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def redact(text: str) -> str:
    """Remove query strings and anything shaped like an NHS number."""
    return _TEN_DIGITS.sub("[redacted]", _QUERY.sub("?[redacted]", text))


def redacted_traceback(exc_info: ExcInfo) -> str:
    """The traceback's frames, with each exception's type but not its message."""
    lines: list[str] = []
    error: traceback.TracebackException | None = traceback.TracebackException(*exc_info)
    chain: list[traceback.TracebackException] = []
    while error is not None and len(chain) < 10:
        chain.append(error)
        error = error.__cause__ or error.__context__
    for position, error in enumerate(reversed(chain)):
        if position:
            lines.append("\nDuring handling of the above exception, another exception occurred:\n\n")
        lines.append("Traceback (most recent call last):\n")
        lines.extend(error.stack.format())
        name = error.exc_type.__qualname__ if error.exc_type is not None else "Exception"
        lines.append(f"{name}: [message withheld]\n")
    return redact("".join(lines)).rstrip("\n")


class RedactFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, dict) and "r" in record.args:
            # gunicorn's access log: its formatter reads the atoms in args (request line, URL, query).
            for key, value in list(record.args.items()):  # in place: gunicorn's atoms class fills in missing keys
                if isinstance(value, str):
                    record.args[key] = redact(value)
            record.msg = redact(str(record.msg))
        else:
            record.msg = redact(record.getMessage())
            record.args = None
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = redacted_traceback(record.exc_info)
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        # Django attaches the request to error records; drop it so that no
        # handler can format its body or query string.
        if hasattr(record, "request"):
            record.request = None
        return True


def logging_config(level: str, *, gunicorn: bool = False) -> dict[str, Any]:
    """A dictConfig in which every handler redacts (Django's settings, and gunicorn's config)."""
    level = level.upper()
    if level not in LEVELS:
        raise ConfigError(f"LOG_LEVEL must be one of {', '.join(LEVELS)}, not {level!r}")
    handler = {"class": "logging.StreamHandler", "filters": ["no_patient_data"], "formatter": "plain"}
    config: dict[str, Any] = {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"no_patient_data": {"()": "pimh.core.logging.RedactFilter"}},
        "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
        "handlers": {"console": handler},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's defaults give these loggers handlers of their own, without the filter.
            "django": {"handlers": ["console"], "level": level, "propagate": False},
            "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        },
    }
    if gunicorn:
        config["handlers"]["access"] = {**handler, "formatter": "access", "stream": "ext://sys.stdout"}
        config["formatters"]["access"] = {"format": "%(message)s"}
        config["loggers"]["gunicorn.error"] = {"handlers": ["console"], "level": "INFO", "propagate": False}
        config["loggers"]["gunicorn.access"] = {"handlers": ["access"], "level": "INFO", "propagate": False}
    return config
