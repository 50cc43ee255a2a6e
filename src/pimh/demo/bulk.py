"""Fast bulk inserts for the demo loader: PostgreSQL ``COPY``, SQLite ``executemany``.

``bulk_create`` spends most of its time compiling one parameterised ``INSERT`` per batch
(field by field, value by value). The demo writes millions of rows at trust size, so these
helpers write the values straight to the driver instead:

- keys are drawn first (PostgreSQL: ``nextval`` of the table's sequence, once for all rows;
  SQLite: the numbers after the table's largest key, inside the caller's transaction), so
  the caller gets them back in order without a round trip per row;
- on PostgreSQL the rows go through ``COPY ... FROM STDIN`` (psycopg's ``cursor.copy()``);
  on SQLite through one ``executemany`` per batch.

Values are converted the way Django would (``get_db_prep_save``) only for fields whose Python
value the driver cannot take as it is (dates, times, decimals, JSON); integers, strings and
booleans are passed through. No signals are sent and no ``save()`` is called, as with
``bulk_create``. Used only for loading demo data into a database the loader checked is empty.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper

from pimh.demo.progress import Progress

BATCH_SIZE = 5000

PLAIN_FIELDS = (
    models.AutoField,
    models.BigAutoField,
    models.IntegerField,
    models.BooleanField,
    models.CharField,
    models.TextField,
    models.ForeignKey,
    models.FloatField,
)


def _converter(field: models.Field, db: BaseDatabaseWrapper) -> Callable[[Any], Any] | None:
    if isinstance(field, models.CharField | models.TextField):
        # Enum members (TextChoices) become plain strings, as Django stores them.
        return lambda value: value if value is None or type(value) is str else str(value)
    if isinstance(field, PLAIN_FIELDS):
        return None
    if isinstance(field, models.JSONField):
        # Screens' answers and scores are short lists of small numbers: convert each distinct list once.
        lists: dict[tuple[Any, ...], Any] = {}

        def convert_json(value: Any) -> Any:
            if type(value) is not list or not all(type(item) in (int, float, str) for item in value):
                return field.get_db_prep_save(value, db)  # not a list of plain values (e.g. alerts)
            key = tuple(value)
            if key not in lists:
                lists[key] = field.get_db_prep_save(value, db)
            return lists[key]

        return convert_json
    # Dates and times repeat a lot in the demo: convert each distinct value once.
    seen: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        try:
            return seen[value]
        except KeyError:
            seen[value] = converted = field.get_db_prep_save(value, db)
            return converted

    return convert


def new_keys(model: type[models.Model], count: int) -> np.ndarray:
    """``count`` unused primary keys of ``model``'s table, ascending (call inside a transaction)."""
    connection = connections[DEFAULT_DB_ALIAS]
    if count == 0:
        return np.zeros(0, dtype=np.int64)
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, pk, count]
            )
            keys = np.array([row[0] for row in cursor.fetchall()], dtype=np.int64)
            keys.sort()
            return keys
        quote = connection.ops.quote_name  # identifiers from the model's meta, never input
        cursor.execute(f"SELECT COALESCE(MAX({quote(pk)}), 0) FROM {quote(table)}")  # noqa: S608
        start = int(cursor.fetchone()[0]) + 1
    return np.arange(start, start + count, dtype=np.int64)


def insert_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    count: int,
    *,
    progress: Progress | None = None,
) -> np.ndarray:
    """Insert ``count`` rows of ``fields`` (attribute names, e.g. ``family_id``) and return their keys.

    Each row holds the fields' Python values in the order of ``fields``; every other field takes
    its model default (computed once for all rows).
    """
    connection = connections[DEFAULT_DB_ALIAS]
    meta = model._meta
    by_attname = {f.attname: f for f in meta.concrete_fields if not f.primary_key}
    chosen = [by_attname[name] for name in fields]
    others = [f for name, f in by_attname.items() if name not in set(fields)]
    defaults = tuple(f.get_default() for f in others)
    chosen += others
    converters = [_converter(f, connection) for f in chosen]
    keys = new_keys(model, count)
    if progress is not None:
        progress.table(str(meta.verbose_name_plural), count)
    columns = [meta.pk.column] + [f.column for f in chosen]
    quote = connection.ops.quote_name

    def prepared() -> Iterable[tuple[Any, ...]]:
        written = 0
        for key, row in zip(keys.tolist(), rows, strict=True):
            yield (key, *[v if c is None else c(v) for c, v in zip(converters, (*row, *defaults), strict=True)])
            written += 1
            if progress is not None and written % 1000 == 0:
                progress.advance(1000)
        if progress is not None:
            progress.advance(written % 1000)

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor
            sql = f"COPY {quote(meta.db_table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
            with raw.copy(sql) as copy:
                for values in prepared():
                    copy.write_row(values)
        else:
            marks = ", ".join(["%s"] * len(columns))
            names = ", ".join(quote(c) for c in columns)
            sql = f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES ({marks})"  # noqa: S608
            batch: list[tuple[Any, ...]] = []
            for values in prepared():
                batch.append(values)
                if len(batch) == BATCH_SIZE:
                    cursor.executemany(sql, batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
    return keys


def insert_objects(
    model: type[models.Model], objects: Sequence[models.Model], *, progress: Progress | None = None
) -> np.ndarray:
    """Insert unsaved model instances (like ``bulk_create``) and set their keys; returns the keys."""
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            for obj in objects:
                f.pre_save(obj, True)
    names = [f.attname for f in fields]
    keys = insert_rows(
        model,
        names,
        ([getattr(obj, name) for name in names] for obj in objects),
        len(objects),
        progress=progress,
    )
    pk = meta.pk.attname
    for obj, key in zip(objects, keys.tolist(), strict=True):
        setattr(obj, pk, key)
        obj._state.adding = False
        obj._state.db = DEFAULT_DB_ALIAS
    return keys


@contextmanager
def checks_at_the_end(tables: Sequence[type[models.Model]]) -> Iterator[None]:
    """On PostgreSQL, drop these tables' foreign keys and secondary indexes, and restore them after.

    Checking a foreign key row by row (a trigger per inserted row, run at commit because Django's
    constraints are deferred) and updating every index as each row arrives cost more than the rows
    themselves; adding the constraint back checks the whole table in one join, and an index built
    at the end is one sort. Runs inside the caller's transaction: any failure restores everything.
    Unique indexes and primary keys stay. Tables are analysed at the end so that the next queries
    are planned on their real sizes. On SQLite only the analysis is done.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    names = [model._meta.db_table for model in tables]
    if connection.vendor != "postgresql":
        yield
        if connection.vendor == "sqlite":  # statistics for the planner (sqlite_stat1), as on PostgreSQL
            with connection.cursor() as cursor:
                for table in names:
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)",
            [names],
        )
        foreign_keys = cursor.fetchall()
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisunique AND NOT i.indisprimary",
            [names],
        )
        indexes = cursor.fetchall()
        quote = connection.ops.quote_name
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # check the rows written so far: no pending events
        for table, name, _ in foreign_keys:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
    yield
    with connection.cursor() as cursor:
        for _, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's constraints are initially deferred
        for table in names:
            cursor.execute(f"ANALYZE {quote(table)}")
