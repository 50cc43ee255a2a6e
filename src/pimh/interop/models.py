"""The keys a bulk import was given: re-running the same files imports nothing twice."""

from __future__ import annotations

from django.db import models


class ImportedKind(models.TextChoices):
    FAMILY = "family", "Family"
    PERSON = "person", "Person"
    CONTACT = "contact", "Contact"


class ImportKey(models.Model):
    """One record brought in by ``pimh import``: its id in the source system and ours."""

    append_only = False  # a mapping of ids, not history; the import itself is audited

    kind = models.CharField(max_length=10, choices=ImportedKind.choices)
    source_id = models.CharField(max_length=64)
    object_id = models.BigIntegerField()
    imported_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "source_id"], name="one_import_key_per_source_id")]

    def __str__(self) -> str:
        return f"{self.kind} {self.source_id}"
