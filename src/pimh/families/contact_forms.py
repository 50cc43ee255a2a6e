"""The contact details fields, on registration and on their own edit page. Rules: contact_details.py."""

from __future__ import annotations

from typing import Any

from django import forms

from pimh.families import contact_details, postcode_lookup
from pimh.families.contact_details import ALERT_KINDS, ContactDetails


class ContactDetailsFields(forms.Form):
    address_line_1 = forms.CharField(
        label="Address line 1", max_length=contact_details.ADDRESS_LINE_MAX, required=False
    )
    address_line_2 = forms.CharField(
        label="Address line 2", max_length=contact_details.ADDRESS_LINE_MAX, required=False
    )
    town = forms.CharField(label="Town or city", max_length=contact_details.TOWN_MAX, required=False)
    postcode = forms.CharField(label="Postcode", max_length=10, required=False, help_text="For example, SW1A 1AA")
    lsoa_code = forms.CharField(
        label="LSOA code",
        max_length=12,
        required=False,
        help_text="For example E01000001. Filled in from the postcode where a lookup is set up",
    )
    phone = forms.CharField(
        label="Phone number", max_length=20, required=False, help_text="A UK number, for example 07700 900123"
    )
    gp_practice_code = forms.CharField(
        label="GP practice ODS code", max_length=10, required=False, help_text="For example, A81001"
    )
    gp_practice_name = forms.CharField(label="GP practice name", max_length=contact_details.GP_NAME_MAX, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind, label in ALERT_KINDS:
            self.fields[f"alert_{kind}"] = forms.BooleanField(label=label, required=False)
            self.fields[f"alert_{kind}_text"] = forms.CharField(
                label=f"{label}: details",
                max_length=contact_details.ALERT_TEXT_MAX,
                required=False,
            )

    def clean(self) -> dict[str, Any]:
        """Every contact detail error in the same round as the other fields' (the service checks again)."""
        data = super().clean()
        lookup = postcode_lookup.lsoa_for if postcode_lookup.configured() else None
        _, errors = contact_details.cleaned(self.contact_details(), lsoa_for=lookup)
        for name, message in errors.items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)
        return data

    def alert_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"alert_{kind}"], self[f"alert_{kind}_text"]) for kind, _ in ALERT_KINDS]

    def contact_details(self) -> ContactDetails:
        """What was typed; an alert is kept when it is ticked or has details (nothing typed is lost)."""
        d = self.cleaned_data
        alerts = tuple(
            (kind, d.get(f"alert_{kind}_text", ""))
            for kind, _ in ALERT_KINDS
            if d.get(f"alert_{kind}") or d.get(f"alert_{kind}_text", "").strip()
        )
        return ContactDetails(
            address_line_1=d.get("address_line_1", ""),
            address_line_2=d.get("address_line_2", ""),
            town=d.get("town", ""),
            postcode=d.get("postcode", ""),
            lsoa_code=d.get("lsoa_code", ""),
            phone=d.get("phone", ""),
            gp_practice_code=d.get("gp_practice_code", ""),
            gp_practice_name=d.get("gp_practice_name", ""),
            alerts=alerts,
        )


def initial_for(details: ContactDetails, version: int) -> dict[str, Any]:
    initial: dict[str, Any] = {
        name: getattr(details, name) for name in contact_details.STORED_FIELDS if name != "alerts"
    }
    initial["phone"] = contact_details.phone_text(details.phone)
    initial["version"] = version
    for kind, text in details.alerts:
        initial[f"alert_{kind}"] = True
        initial[f"alert_{kind}_text"] = text
    return initial


class ContactDetailsForm(ContactDetailsFields):
    """Editing a family's contact details: carries the version shown, so a stale save is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
