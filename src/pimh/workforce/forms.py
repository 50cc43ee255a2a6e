"""The team lead's "what if these families moved" form (GET: it never saves anything)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from pimh.core.models import User
from pimh.families.models import Family


class MoveForm(forms.Form):
    source = forms.TypedChoiceField(label="Move families from", coerce=int)
    families = forms.TypedMultipleChoiceField(label="Families to move", coerce=int, required=False)
    to = forms.TypedChoiceField(label="Move them to", coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, practitioners: list[User], families_of: Any, **kwargs: Any) -> None:
        """``families_of(source)``: a query of the source practitioner's families (only the chosen ones are read)."""
        super().__init__(*args, **kwargs)
        self.practitioners = {p.pk: p for p in practitioners}
        people = [(p.pk, p.display_name) for p in practitioners]
        self.fields["source"].choices = [("", "Choose a practitioner"), *people]
        self.fields["to"].choices = [("", "Choose a practitioner"), *people]
        source = self.data.get("source")
        self.source_families: QuerySet[Family] | None = (
            families_of(int(source)) if source and str(source).isdigit() and int(source) in self.practitioners else None
        )
        self.fields["families"].valid_value = self._is_source_family  # type: ignore[attr-defined]

    def _is_source_family(self, value: object) -> bool:
        # Checked all together in clean_families (one query for the chosen families, not the whole caseload).
        return self.source_families is not None

    def clean_families(self) -> list[int]:
        chosen = sorted(set(self.cleaned_data.get("families") or []))
        if chosen and self.source_families is not None:
            found = set(self.source_families.filter(pk__in=chosen).values_list("pk", flat=True))
            if found != set(chosen):
                raise forms.ValidationError(
                    self.fields["families"].error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": next(str(pk) for pk in chosen if pk not in found)},
                )
        return chosen

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        families, to = data.get("families"), data.get("to")
        if families and to is None:
            self.add_error("to", "Choose who the families would move to")
        if to is not None and not families:
            self.add_error("families", "Choose one or more families to move")
        if to is not None and to == data.get("source"):
            self.add_error("to", "Choose a different practitioner from the one the families are with")
        return data

    @property
    def ready(self) -> bool:
        return self.is_bound and self.is_valid() and bool(self.cleaned_data.get("families"))
