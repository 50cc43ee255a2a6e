"""History tables are append-only: a row, once written, is never changed or deleted.

Every model of the project says which it is with the class attribute
``append_only`` (tests/core/test_immutable.py checks that none is left out).
History models inherit :class:`AppendOnlyModel`, which refuses, at run time:

- ``save()`` of a row that is already stored, and ``delete()``;
- ``update()``, ``delete()`` and ``bulk_update()`` on its querysets, on the
  default manager and on ``_base_manager`` (used by related-object access);
- cascades and fixture loading, through ``pre_save``/``pre_delete`` signals.

In PostgreSQL a trigger (django-pgtrigger, installed by a migration) also
rejects UPDATE and DELETE on these tables, so raw SQL cannot change them
either (ADR 0009).
"""

from __future__ import annotations

from typing import Any, ClassVar

import pgtrigger
from django.db import models
from django.db.models.signals import pre_delete, pre_save


class AppendOnlyError(PermissionError):
    """An attempt to change or delete a row of a history table."""

    def __init__(self, model: type[models.Model] | str) -> None:
        name = model if isinstance(model, str) else model._meta.label
        super().__init__(f"{name} rows are append-only: they cannot be changed or deleted")


def append_only_trigger() -> pgtrigger.Protect:
    """The PostgreSQL trigger that rejects UPDATE and DELETE of a history row."""
    return pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError(self.model)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(self.model)

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        raise AppendOnlyError(self.model)

    def _raw_delete(self, using: str) -> int:
        raise AppendOnlyError(self.model)

    def update_or_create(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError(self.model)


AppendOnlyManager = models.Manager.from_queryset(AppendOnlyQuerySet)


class AppendOnlyModel(models.Model):
    """Base of every history table. Subclasses also list ``append_only_trigger()`` in ``Meta.triggers``."""

    append_only: ClassVar[bool] = True

    objects = AppendOnlyManager()

    class Meta:
        abstract = True
        # Django's base manager (related-object access, save) is a plain Manager otherwise.
        base_manager_name = "objects"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        pre_save.connect(_refuse_changed_rows, sender=cls, weak=False)
        pre_delete.connect(_refuse_deleted_rows, sender=cls, weak=False)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(type(self))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(type(self))


def _refuse_changed_rows(sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
    if raw or not instance._state.adding:
        # raw: fixture loading saves with save_base(), which could overwrite a stored row.
        if raw and not sender._default_manager.filter(pk=instance.pk).exists():
            return
        raise AppendOnlyError(sender)


def _refuse_deleted_rows(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    raise AppendOnlyError(sender)
