"""The team lead's "what if these families moved" form (GET: it never saves anything)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from pimh.workforce.caseload import Caseload


class MoveForm(forms.Form):
    source = forms.TypedChoiceField(label="Move families from", coerce=int)
    families = forms.TypedMultipleChoiceField(label="Families to move", coerce=int, required=False)
    to = forms.TypedChoiceField(label="Move them to", coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, caseloads: Sequence[Caseload], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.caseloads = {c.practitioner_id: c for c in caseloads}
        people = [(c.practitioner_id, c.name) for c in caseloads]
        self.fields["source"].choices = [("", "Choose a practitioner"), *people]
        self.fields["to"].choices = [("", "Choose a practitioner"), *people]
        source = self.data.get("source")
        chosen = self.caseloads.get(int(source)) if source and str(source).isdigit() else None
        self.fields["families"].choices = [(f.family_id, f.reference) for f in chosen.families] if chosen else []

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
