"""A logging filter that keeps identifiers out of log lines."""

from __future__ import annotations

import logging
import re

_TEN_DIGITS = re.compile(r"(?<!\d)\d{3}[ -]?\d{3}[ -]?\d{4}(?!\d)")


def redact(text: str) -> str:
    """Replace anything shaped like an NHS number."""
    return _TEN_DIGITS.sub("[redacted]", text)


class RedactFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        # Django attaches the request to error records; drop it so that no
        # handler can format its body or query string.
        if hasattr(record, "request"):
            record.request = None
        return True
