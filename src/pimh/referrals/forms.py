"""Referral forms: they collect; services validate the lifecycle."""

from __future__ import annotations

from typing import Any

from django import forms

from pimh.core import bounds
from pimh.core.forms import DatePartsField
from pimh.families.models import Family
from pimh.referrals.models import (
    Consent,
    Course,
    DeclineReason,
    InvolvementKind,
    NoteKind,
    ReasonCode,
    Service,
    SupervisionKind,
    Urgency,
)

BLANK = [("", "Choose")]


class ReferralForm(forms.Form):
    person = forms.ChoiceField(label="Who is being referred", error_messages={"required": "Choose who is referred"})
    service = forms.ModelChoiceField(
        label="Service",
        queryset=Service.objects.none(),
        empty_label="Choose",
        error_messages={"required": "Choose a service from the directory"},
    )
    urgency = forms.ChoiceField(
        label="Urgency",
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the urgency"},
    )
    reason_code = forms.ChoiceField(
        label="Reason", choices=BLANK + ReasonCode.choices, error_messages={"required": "Choose the reason"}
    )
    reason_text = forms.CharField(
        label="Details", widget=forms.Textarea, required=False, max_length=bounds.REFERRAL_DETAILS_MAX
    )
    consent = forms.ChoiceField(
        label="Consent to refer",
        choices=Consent.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the person consented to the referral"},
    )
    consent_note = forms.CharField(
        label="Why consent is not needed, or why refer without it",
        required=False,
        help_text="Needed if consent was not given (for example, safeguarding) or is not needed.",
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, family: Family, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {str(p.pk): p for p in family.people.order_by("role", "date_of_birth", "pk")}
        self.fields["person"].choices = BLANK + [
            (pk, f"{p.full_name} ({p.get_role_display()})") for pk, p in self.people.items()
        ]
        self.fields["service"].queryset = Service.objects.filter(active=True).order_by("name")

    def chosen_person(self) -> Any:
        return self.people[self.cleaned_data["person"]]


def initial_from_query(query: Any) -> dict[str, str]:
    """Pre-fill from ``?person=&reason=&urgency=`` (e.g. an accepted screening suggestion); values that
    are not valid choices are ignored (the person is checked against the family by the form's choices)."""
    initial = {"urgency": "routine"}
    if query.get("urgency") in Urgency.values:
        initial["urgency"] = query["urgency"]
    if query.get("reason") in ReasonCode.values:
        initial["reason_code"] = query["reason"]
    person = query.get("person", "")
    if person.isdigit():
        initial["person"] = person
    return initial


class DeclineForm(forms.Form):
    decline_reason = forms.ChoiceField(
        label="Reason the service gave",
        choices=BLANK + DeclineReason.choices,
        error_messages={"required": "Choose the reason the service gave for declining"},
    )
    note = forms.CharField(label="Note", required=False, max_length=200)


class AppointmentForm(forms.Form):
    first_appointment_on = DatePartsField(
        label="Date of the first appointment", error_messages={"required": "Enter the date of the first appointment"}
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Reason for withdrawing", max_length=200, error_messages={"required": "Give the reason for withdrawing"}
    )


class DischargeForm(forms.Form):
    note = forms.CharField(label="Outcome note", required=False, max_length=200)


def _team_staff(team_ids: list[int], roles: tuple[str, ...]) -> Any:
    from pimh.core.models import User

    return User.objects.filter(teams__id__in=team_ids, role__in=roles, is_active=True).distinct().order_by("last_name")


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class InvolvementForm(forms.Form):
    specialist = StaffChoiceField(
        label="Specialist health visitor",
        queryset=Service.objects.none(),
        empty_label="Choose",
        error_messages={"required": "Choose the specialist health visitor"},
    )
    kind = forms.ChoiceField(
        label="Kind of involvement",
        choices=InvolvementKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of involvement"},
    )
    started = DatePartsField(label="Started", required=False, help_text="Leave blank for today")

    def __init__(self, *args: Any, family: Family, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["specialist"].queryset = _team_staff([family.team_id], ("sphv",))


class SupervisionForm(forms.Form):
    supervisee = StaffChoiceField(
        label="Supervisee",
        queryset=Service.objects.none(),
        empty_label="Choose",
        error_messages={"required": "Choose who was supervised"},
    )
    supervisor = StaffChoiceField(
        label="Supervisor",
        queryset=Service.objects.none(),
        empty_label="Choose",
        error_messages={"required": "Choose the supervisor"},
    )
    date = DatePartsField(label="Date", error_messages={"required": "Enter the date of the session"})
    kind = forms.ChoiceField(
        label="Kind",
        choices=SupervisionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of supervision"},
    )
    duration_minutes = forms.IntegerField(
        label="Length in minutes",
        min_value=1,
        max_value=600,
        error_messages={"required": "Enter the length of the session in minutes"},
    )

    def __init__(self, *args: Any, team_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supervisee"].queryset = _team_staff(team_ids, ("hv", "sphv"))
        self.fields["supervisor"].queryset = _team_staff(team_ids, ("hv", "sphv", "lead"))


class TrainingForm(forms.Form):
    practitioner = StaffChoiceField(
        label="Practitioner",
        queryset=Service.objects.none(),
        empty_label="Choose",
        error_messages={"required": "Choose the practitioner"},
    )
    course = forms.ChoiceField(
        label="Course", choices=BLANK + Course.choices, error_messages={"required": "Choose the course"}
    )
    module_name = forms.CharField(label="e-learning module", required=False, max_length=200)
    completed_on = DatePartsField(label="Completed on", error_messages={"required": "Enter the date completed"})

    def __init__(self, *args: Any, team_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["practitioner"].queryset = _team_staff(team_ids, ("hv", "sphv"))


class SpecialistAcceptForm(forms.Form):
    kind = forms.ChoiceField(
        label="Take the family onto your caseload as",
        choices=InvolvementKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose consultation, joint working or holding the case"},
    )


class MessageForm(forms.Form):
    kind = forms.ChoiceField(
        label="What are you adding",
        choices=NoteKind.choices,
        initial=NoteKind.MESSAGE,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a message or a consultation note"},
    )
    text = forms.CharField(
        label="Message text",
        widget=forms.Textarea(attrs={"rows": 5}),
        strip=False,
        error_messages={"required": "Enter the message"},
        help_text="Seen by the family's health visitor, the specialist health visitor and the team lead.",
    )


class ConsentForm(forms.Form):
    consent = ReferralForm.base_fields["consent"]
    consent_note = ReferralForm.base_fields["consent_note"]
