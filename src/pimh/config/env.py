"""Typed helpers that read settings from the environment and fail loudly.

A bad value stops start-up with a message naming the variable, never a silent
default: a misconfigured clinical service must not start.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager


class ConfigError(RuntimeError):
    """A setting in the environment is missing or malformed."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    value = (environ if environ is not None else os.environ).get(name)
    if value is None:
        if default is None:
            raise ConfigError(f"{name} must be set")
        return default
    return value


def env_bool(name: str, default: bool, environ: Mapping[str, str] | None = None) -> bool:
    raw = (environ if environ is not None else os.environ).get(name)
    if raw is None:
        return default
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ConfigError(f"{name} must be true or false, not {raw!r}")


def env_int(
    name: str,
    default: int,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    raw = (environ if environ is not None else os.environ).get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, not {value}")
    if maximum is not None and value > maximum:
        raise ConfigError(f"{name} must be at most {maximum}, not {value}")
    return value


def env_list(name: str, default: list[str], environ: Mapping[str, str] | None = None) -> list[str]:
    raw = (environ if environ is not None else os.environ).get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


# An https origin: scheme and host (and port), no path, wildcard, quote or space.
_ORIGIN = re.compile(r"https://[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(:[0-9]{1,5})?")


def env_origins(name: str, default: list[str], environ: Mapping[str, str] | None = None) -> list[str]:
    """A comma-separated list of https origins, such as ``https://assets.nhs.uk`` (for a CSP source list)."""
    origins = env_list(name, default, environ)
    for origin in origins:
        if not _ORIGIN.fullmatch(origin.lower()):
            raise ConfigError(
                f"{name} must list https origins such as https://assets.nhs.uk (no path, wildcard or quote), not {origin!r}"
            )
    return origins


@contextmanager
def config_errors_as_one_line(write: Callable[[str], object] = sys.stderr.write) -> Iterator[None]:
    """Turn a ConfigError into one line on stderr and exit status 2, instead of a traceback."""
    try:
        yield
    except ConfigError as error:
        write(f"pimh: configuration error: {error}\n")
        raise SystemExit(2) from None
