"""Contact and task forms. Validation rules live in services.check_contact; forms only collect."""

from __future__ import annotations

from typing import Any

from django import forms

from pimh.contacts import services
from pimh.contacts.models import Attendance, ContactType, Location, Mode, TaskKind
from pimh.core import bounds
from pimh.core.forms import DatePartsField
from pimh.families.models import Family, PersonRole


class ContactForm(forms.Form):
    """One page: everything about one encounter with a family."""

    contact_type = forms.ChoiceField(label="Type of contact", choices=ContactType.choices)
    subject_id = forms.TypedChoiceField(
        label="Who the contact is about", coerce=int, empty_value=None, required=False, choices=[]
    )
    date = DatePartsField(
        label="Date of the contact",
        error_messages={
            "required": "Enter the date of the contact",
            "incomplete": "Date of the contact must include a day, month and year",
        },
        help_text="For example, 15 3 2026",
    )
    time = forms.TimeField(
        label="Time",
        required=False,
        input_formats=["%H:%M", "%H.%M"],
        help_text="For example, 14:30",
        error_messages={"invalid": "Enter the time as hours and minutes, for example 14:30"},
    )
    mode = forms.ChoiceField(label="How", choices=Mode.choices, widget=forms.RadioSelect, initial=Mode.FACE_TO_FACE)
    location = forms.ChoiceField(
        label="Where", choices=Location.choices, widget=forms.RadioSelect, initial=Location.HOME
    )
    present_ids = forms.TypedMultipleChoiceField(
        label="Who was present", coerce=int, required=False, choices=[], widget=forms.CheckboxSelectMultiple
    )
    covers_ids = forms.TypedMultipleChoiceField(
        label="Which children the contact covers",
        help_text="For a review or new birth visit of the whole family (choose it above), tick each child it is for "
        "(twins: both)",
        coerce=int,
        required=False,
        choices=[],
        widget=forms.CheckboxSelectMultiple,
    )
    others_present = forms.CharField(label="Others present", max_length=200, required=False)
    attendance = forms.ChoiceField(
        label="Attendance", choices=Attendance.choices, widget=forms.RadioSelect, initial=Attendance.ATTENDED
    )
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False, max_length=bounds.NOTES_MAX)

    def __init__(self, *args: Any, family: Family, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = [(p.pk, f"{p.full_name} ({p.get_role_display()})") for p in family.people.order_by("role", "pk")]
        self.fields["subject_id"].choices = [("", "The whole family"), *people]
        self.fields["present_ids"].choices = people
        self.fields["covers_ids"].choices = [
            (p.pk, p.full_name) for p in family.people.filter(role=PersonRole.INFANT).order_by("date_of_birth", "pk")
        ]

    def contact_data(self) -> services.ContactData:
        d = self.cleaned_data
        return services.ContactData(
            contact_type=d["contact_type"],
            date=d["date"],
            time=d.get("time"),
            mode=d["mode"],
            location=d["location"],
            attendance=d["attendance"],
            subject_id=d.get("subject_id"),
            present_ids=tuple(d.get("present_ids") or ()),
            covers_ids=tuple(d.get("covers_ids") or ()),
            others_present=d.get("others_present", ""),
            notes=d.get("notes", ""),
        )


class WorklistFilterForm(forms.Form):
    kind = forms.ChoiceField(label="Task type", choices=[("", "All task types"), *TaskKind.choices], required=False)
    due_this_week = forms.BooleanField(label="Due by the end of this week", required=False)
    overdue_only = forms.BooleanField(label="Overdue only", required=False)


class CancelTaskForm(forms.Form):
    reason = forms.CharField(
        label="Reason for cancelling",
        max_length=200,
        widget=forms.Textarea,
        error_messages={"required": "Give the reason for cancelling the task"},
    )
