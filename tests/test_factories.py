"""Every concrete model of the project has a factory in tests/factories.py, and each factory makes a row."""

from __future__ import annotations

import inspect

import factory
import pytest
from django.apps import apps

from tests import factories

PROJECT_MODELS = [m for m in apps.get_models() if m.__module__.startswith("pimh.") and not m._meta.abstract]
FACTORIES = [
    f
    for _, f in inspect.getmembers(factories, inspect.isclass)
    if issubclass(f, factory.django.DjangoModelFactory) and f.__module__ == factories.__name__
]


def test_every_project_model_has_a_factory():
    covered = {f._meta.model for f in FACTORIES}
    assert sorted(m._meta.label for m in PROJECT_MODELS if m not in covered) == []


@pytest.mark.parametrize("model_factory", FACTORIES, ids=lambda f: f.__name__)
def test_each_factory_stores_a_valid_row(db, model_factory):
    obj = model_factory.create()
    model = model_factory._meta.model
    assert model.objects.filter(pk=obj.pk).count() == 1
    stored = model.objects.get(pk=obj.pk)
    bad_choices = {
        f.name: getattr(stored, f.attname)
        for f in model._meta.concrete_fields
        if f.choices and getattr(stored, f.attname) not in {*dict(f.flatchoices), ""}
    }
    assert bad_choices == {}
