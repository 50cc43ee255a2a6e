"""Screening forms. EPDS items are labelled by number with neutral response labels only."""

from __future__ import annotations

from django import forms
from django.conf import settings

from pimh.core import bounds
from pimh.families.models import Person, PersonRole
from pimh.screening import instruments
from pimh.screening.models import FlagReason, Judgement, Observation

PARENT_ROLES = (PersonRole.BIRTHING_PARENT, PersonRole.FATHER, PersonRole.PARTNER)
NEUTRAL_RESPONSES = ("Response A", "Response B", "Response C", "Response D")
INSTRUMENT_CHOICES = [(i.code, i.name) for i in instruments.REGISTRY.values()]


def epds_item_text() -> dict[int, str]:
    """Item text from the organisation's licensed pack (settings.EPDS_TEXT_PACK, a file path), if any.

    Without a pack, EPDS items show as "Item 1".."Item 10" only (the text is copyright).
    """
    path = getattr(settings, "EPDS_TEXT_PACK", "")
    return instruments.load_text_pack(path) if path else {}


def item_label(instrument: instruments.Instrument, item: instruments.Item, pack: dict[int, str]) -> str:
    if instrument.code == "epds":
        return pack.get(item.number) or f"Item {item.number}"
    return item.text or f"Item {item.number}"


def option_labels(instrument: instruments.Instrument, item: instruments.Item) -> tuple[str, ...]:
    if instrument.option_labels is None:
        return NEUTRAL_RESPONSES[: item.options]
    return instrument.option_labels


def person_label(person: Person) -> str:
    return f"{person.full_name} ({person.get_role_display()})"


class ChooseForm(forms.Form):
    person = forms.ChoiceField(label="Who is this questionnaire for?", widget=forms.RadioSelect)
    instrument = forms.ChoiceField(label="Questionnaire", choices=INSTRUMENT_CHOICES, widget=forms.RadioSelect)

    def __init__(self, *args: object, parents: list[Person], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["person"].choices = [(str(p.pk), person_label(p)) for p in parents]


class AnswersForm(forms.Form):
    """One optional radio field per item (unanswered = missing); plus a clinical concern box."""

    concern = forms.BooleanField(label="I have a clinical concern about this parent's mental health", required=False)
    interpreter_used = forms.BooleanField(label="An interpreter was used for this questionnaire", required=False)
    interpreter_language = forms.CharField(
        label="Language",
        help_text="The language the questionnaire was interpreted into",
        required=False,
        max_length=60,
    )

    def __init__(self, *args: object, instrument: instruments.Instrument, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.instrument = instrument
        pack = epds_item_text() if instrument.code == "epds" else {}
        for item in instrument.items:
            labels = option_labels(instrument, item)
            self.fields[f"item_{item.number}"] = forms.TypedChoiceField(
                label=item_label(instrument, item, pack),
                choices=[(str(i), label) for i, label in enumerate(labels)],
                coerce=int,
                required=False,
                empty_value=None,
                widget=forms.RadioSelect,
            )

    def answers(self) -> list[int | None]:
        return [self.cleaned_data.get(f"item_{item.number}") for item in self.instrument.items]

    def item_fields(self) -> list[forms.BoundField]:
        return [self[f"item_{item.number}"] for item in self.instrument.items]


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("accept", "Accept"), ("override", "Do not follow (give a reason)")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to accept the suggestion"},
    )
    reason = forms.CharField(
        label="Reason for not following the suggestion",
        required=False,
        widget=forms.Textarea,
        max_length=bounds.REASON_MAX,
    )


def decide_form(suggestion_pk: int, data: object = None) -> DecideForm:
    """One decision form per suggestion, with ids of its own (several suggestions share a page)."""
    return DecideForm(data, auto_id=f"id_s{suggestion_pk}_%s")  # type: ignore[arg-type]


class CloseFlagForm(forms.Form):
    action_taken = forms.CharField(
        label="Action taken",
        help_text="What you did, with whom, and when (for example: discussed with GP, crisis team assessment arranged)",
        widget=forms.Textarea,
        max_length=bounds.REASON_MAX,
        error_messages={"required": "Enter the action taken before clearing the flag"},
    )


class RaiseFlagForm(forms.Form):
    person = forms.ChoiceField(
        label="Parent", widget=forms.RadioSelect, error_messages={"required": "Choose the parent"}
    )
    reason = forms.ChoiceField(
        label="Red flag",
        choices=[(c.value, c.label) for c in FlagReason if c != FlagReason.RISK_ITEM],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the red flag"},
    )
    emergency = forms.BooleanField(label="This is an emergency (specialist assessment within 4 hours)", required=False)

    def __init__(self, *args: object, parents: list[Person], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["person"].choices = [(str(p.pk), person_label(p)) for p in parents]


class RelationshipForm(forms.Form):
    parent = forms.ChoiceField(
        label="Parent", widget=forms.RadioSelect, error_messages={"required": "Choose the parent"}
    )
    infant = forms.ChoiceField(label="Baby", widget=forms.RadioSelect, error_messages={"required": "Choose the baby"})
    judgement = forms.ChoiceField(
        label="Your judgement",
        choices=Judgement.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose your judgement"},
    )
    observations = forms.MultipleChoiceField(
        label="Observations", choices=Observation.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea, max_length=bounds.NOTES_MAX)

    def __init__(self, *args: object, parents: list[Person], infants: list[Person], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["parent"].choices = [(str(p.pk), person_label(p)) for p in parents]
        self.fields["infant"].choices = [(str(p.pk), p.full_name) for p in infants]
