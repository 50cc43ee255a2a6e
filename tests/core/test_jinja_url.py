"""The templates' ``url()``: the same address as Django's ``reverse`` for every route, whichever way it is made."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse, set_script_prefix

from pimh.config.jinja import url


def _one_key_routes() -> list[str]:
    def walk(patterns, namespace=""):  # type: ignore[no-untyped-def]
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif isinstance(p, URLPattern) and p.name and len(p.pattern.converters) == 1:
                yield namespace + p.name

    return sorted(set(walk(get_resolver().url_patterns)))


ROUTES = _one_key_routes()


def test_there_are_many_routes_with_one_key():
    assert len(ROUTES) > 40 and "family-detail" in ROUTES and "referral-detail" in ROUTES


@pytest.mark.parametrize("key", [0, 7, 123456])
def test_every_route_with_one_key_gives_what_reverse_gives(key):
    for name in ROUTES:
        assert url(name, key) == reverse(name, args=[key]), name


def test_other_calls_are_reverse_itself():
    assert url("home") == reverse("home")
    assert url("family-detail", pk=5) == reverse("family-detail", kwargs={"pk": 5})
    assert url("family-detail", "5") == reverse("family-detail", args=["5"])


def test_a_negative_key_is_refused_as_reverse_refuses_it():
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        url("family-detail", -1)


def test_the_address_follows_the_script_prefix():
    try:
        set_script_prefix("/pimh/")
        assert url("family-detail", 9) == reverse("family-detail", args=[9]) == "/pimh/families/9/"
    finally:
        set_script_prefix("/")
    assert url("family-detail", 9) == "/families/9/"
