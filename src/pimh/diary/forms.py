"""Booking forms. Validation rules live in services.check_booking; forms only collect."""

from __future__ import annotations

from typing import Any

from django import forms

from pimh.contacts.models import ContactType, Location, Task
from pimh.core.forms import DatePartsField
from pimh.diary import services
from pimh.families.models import Family


def task_label(task: Task) -> str:
    who = f" for {task.person.given_name}" if task.person else ""
    return f"{task.title}{who}, due {task.due_from:%d %b %Y} to {task.due_by:%d %b %Y}"


class BookingForm(forms.Form):
    task_id = forms.TypedChoiceField(label="For a task", coerce=int, empty_value=None, required=False, choices=[])
    contact_type = forms.ChoiceField(label="Type of contact", choices=ContactType.choices)
    date = DatePartsField(
        label="Date",
        error_messages={
            "required": "Enter the date of the booking",
            "incomplete": "Date of the booking must include a day, month and year",
        },
        help_text="For example, 15 3 2027",
    )
    time = forms.TimeField(
        label="Time",
        input_formats=["%H:%M", "%H.%M"],
        help_text="For example, 14:30",
        error_messages={
            "required": "Enter the time of the booking",
            "invalid": "Enter the time as hours and minutes, for example 14:30",
        },
    )
    location = forms.ChoiceField(
        label="Where", choices=Location.choices, widget=forms.RadioSelect, initial=Location.HOME
    )
    place = forms.CharField(
        label="Place", max_length=services.PLACE_MAX, required=False, help_text="For example, the clinic's name"
    )
    people_ids = forms.TypedMultipleChoiceField(
        label="Who the contact is with",
        coerce=int,
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose who the contact is with"},
    )

    def __init__(self, *args: Any, family: Family, tasks: list[Task], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["task_id"].choices = [("", "No task"), *[(t.pk, task_label(t)) for t in tasks]]
        self.fields["people_ids"].choices = [
            (p.pk, f"{p.full_name} ({p.get_role_display()})") for p in family.people.order_by("role", "pk")
        ]

    def booking_data(self) -> services.BookingData:
        d = self.cleaned_data
        return services.BookingData(
            contact_type=d["contact_type"],
            date=d["date"],
            time=d["time"],
            location=d["location"],
            place=d.get("place", ""),
            people_ids=tuple(d.get("people_ids") or ()),
            task_id=d.get("task_id"),
        )


class CancelBookingForm(forms.Form):
    reason = forms.CharField(
        label="Reason for cancelling",
        max_length=services.REASON_MAX,
        widget=forms.Textarea,
        error_messages={"required": "Give the reason for cancelling the booking"},
    )
