"""The Jinja2 environment: project templates first, then NHS.UK frontend macros."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django.conf import settings
from django.templatetags.static import static
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django_htmx.jinja import htmx_script
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader
from markupsafe import Markup

from pimh.core.once import submit_token_input
from pimh.core.presenters import age_text, navigation, nhs_number_text, plural

_KEY = 2147483647  # stands for the record's key while a route is reversed once (no table reaches it)


@functools.lru_cache(maxsize=1024)
def _around_key(name: str, prefix: str, urlconf: str | None) -> tuple[str, str] | None:
    """The text before and after the key in the route ``name`` (under ``prefix``), if it has one key."""
    try:
        path = reverse(name, args=[_KEY])
    except NoReverseMatch:
        return None
    parts = path.split(str(_KEY))
    return (parts[0], parts[1]) if len(parts) == 2 else None


def url(name: str, *args: Any, **kwargs: Any) -> str:
    """``reverse``; a route with one whole-number key (every row's link) is reversed once, then filled in.

    A list of 50 rows links each row; ``reverse`` takes about 20 µs a call, filling in about 1 µs.
    """
    if len(args) == 1 and not kwargs and type(args[0]) is int and args[0] >= 0:
        around = _around_key(name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
        if around is not None:
            return f"{around[0]}{args[0]}{around[1]}"
    return reverse(name, args=args or None, kwargs=kwargs or None)


def _icons(env: Environment) -> Any:
    """The NHS.UK frontend's icon macro, rendered once per icon name (its output depends on the name only)."""
    template = env.from_string('{% from "nhsuk/macros/icon.jinja" import nhsukIcon %}{{ nhsukIcon(name) }}')

    @functools.cache
    def icon(name: str) -> Markup:
        return Markup(" ".join(template.render(name=name).split()))  # noqa: S704 (the library's own SVG markup)

    return icon


def environment(**options: Any) -> Environment:
    project_loader = options.pop("loader")
    options["undefined"] = ChainableUndefined
    options["autoescape"] = True
    options.setdefault("extensions", []).append("jinja2.ext.do")
    env = Environment(  # noqa: S701 (autoescape=True is set in options above)
        loader=ChoiceLoader([project_loader, PackageLoader("nhsuk_frontend_jinja")]),
        **options,
    )
    env.globals.update(
        static=static,
        url=url,
        htmx_script=htmx_script,
        navigation=navigation,
        submit_token_input=submit_token_input,
        icon=_icons(env),
    )
    env.filters.update(age=age_text, nhs_number=nhs_number_text, nhsuk_option=nhsuk_option, plural=plural, clock=clock)
    return env


def clock(moment: dt.datetime) -> str:
    """A moment as the service's local time of day, to the second."""
    return timezone.localtime(moment).strftime("%H:%M:%S")


def nhsuk_option(choice: list[Any], current: str, selected_key: str = "selected") -> dict[str, Any]:
    """A Django (value, label) choice as an NHS.UK select or radios item."""
    value, label = choice
    value = "" if value is None else str(value)
    return {"value": value, "text": str(label), selected_key: value == current and value != ""}
