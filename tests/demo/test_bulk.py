"""The demo's bulk writer: keys returned in order, model defaults filled, constraints restored."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from pimh.demo.bulk import checks_at_the_end, insert_rows
from pimh.families.models import Family, Person, Relationship


@pytest.mark.django_db
def test_insert_rows_returns_each_rows_key_and_fills_model_defaults(family_a):
    values = [(family_a.pk, "infant", None, f"Child{i}", "Tester", dt.date(2026, 1, 1 + i), "F", "A") for i in range(3)]
    fields = ("family_id", "role", "nhs_number", "given_name", "family_name", "date_of_birth", "sex", "ethnic_category")
    keys = insert_rows(Person, fields, values, len(values))
    people = {p.pk: p for p in Person.objects.filter(pk__in=keys.tolist())}
    assert [people[k].given_name for k in keys.tolist()] == ["Child0", "Child1", "Child2"]
    assert people[int(keys[2])].date_of_birth == dt.date(2026, 1, 3)
    default = Person._meta.get_field("date_of_death").get_default()
    assert people[int(keys[0])].date_of_death == default
    more = insert_rows(Person, fields, values[:1], 1)
    assert int(more[0]) > int(keys.max())


def _constraints(table: str) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    return sorted((name, str(c["foreign_key"])) for name, c in found.items() if c["foreign_key"] or c["index"])


@pytest.mark.django_db
def test_checks_at_the_end_puts_back_every_foreign_key_and_index():
    tables = [Family._meta.db_table, Person._meta.db_table, Relationship._meta.db_table]
    before = [_constraints(t) for t in tables]
    with checks_at_the_end([Family, Person, Relationship]):
        pass
    assert [_constraints(t) for t in tables] == before
    assert any(before)
