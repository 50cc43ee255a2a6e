"""Changes to a family's contact details and alerts (rules: families/contact_details.py)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from pimh.core import audit, versioning
from pimh.core.models import AuditAction, User
from pimh.families import postcode_lookup
from pimh.families.contact_details import STORED_FIELDS, ContactDetails, cleaned
from pimh.families.models import Family


def prepare(details: ContactDetails) -> ContactDetails:
    """The details normalised (LSOA derived where a lookup is configured); ValidationError per bad field."""
    lookup = postcode_lookup.lsoa_for if postcode_lookup.configured() else None
    result, errors = cleaned(details, lsoa_for=lookup)
    if errors:
        raise ValidationError(errors)
    return result


def stored(details: ContactDetails) -> dict[str, Any]:
    """The model's field values for prepared details."""
    values = asdict(details)
    values["alerts"] = [{"kind": kind, "text": text} for kind, text in details.alerts]
    return {name: values[name] for name in STORED_FIELDS}


def current(family: Family) -> ContactDetails:
    """A family's recorded details, as the form and the service compare them."""
    values = {name: getattr(family, name) for name in STORED_FIELDS}
    values["alerts"] = tuple((a["kind"], a.get("text", "")) for a in family.alerts or [])
    return ContactDetails(**values)


@transaction.atomic
def update_contact_details(
    *, by: User, family: Family, details: ContactDetails, seen_version: int | None = None
) -> Family:
    """Save a family's address, phone, GP practice and alerts; audited with the names of the fields changed."""
    locked = versioning.check_version(family, seen_version=seen_version)
    new = stored(prepare(details))
    before = stored(current(locked))
    changed = [name for name in STORED_FIELDS if new[name] != before[name]]
    for name, value in new.items():
        setattr(family, name, value)
    family.version = locked.version + 1
    family.save(update_fields=[*STORED_FIELDS, "version"])
    audit.record(by=by, action=AuditAction.UPDATE, obj=family, family_id=family.pk, detail={"fields": changed})
    return family
