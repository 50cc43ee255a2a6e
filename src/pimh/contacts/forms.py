"""Contact and task forms. Validation rules live in services.check_contact; forms only collect."""

from __future__ import annotations

from typing import Any

from django import forms

from pimh.contacts import asq3, services
from pimh.contacts.models import Attendance, ContactType, FeedingStatus, Location, Mode, TaskKind
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
    # New birth visit and 6-8 week review; 12-month and 2-2½ year review (rules: asq3.py, checked by the service).
    feeding_status = forms.ChoiceField(
        label="Infant feeding",
        choices=[("", "Not recorded"), *FeedingStatus.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    asq3_used = forms.BooleanField(label="ASQ-3 used", required=False)
    asq3_interval_months = forms.TypedChoiceField(
        label="Questionnaire interval",
        coerce=int,
        empty_value=None,
        required=False,
        choices=[
            ("", "Choose the interval"),
            *[(m, f"{m} months") for m in sorted({i for v in asq3.INTERVALS.values() for i in v})],
        ],
    )

    def __init__(self, *args: Any, family: Family, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = [(p.pk, f"{p.full_name} ({p.get_role_display()})") for p in family.people.order_by("role", "pk")]
        self.fields["subject_id"].choices = [("", "The whole family"), *people]
        self.fields["present_ids"].choices = people
        for domain in asq3.DOMAINS:
            self.fields[f"asq3_{domain}"] = forms.IntegerField(
                label=f"{asq3.DOMAIN_LABELS[domain]} score",
                required=False,
                error_messages={"invalid": "Enter the domain score as a whole number, for example 45"},
            )
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
            feeding_status=d.get("feeding_status") or "",
            asq3_used=bool(d.get("asq3_used")),
            asq3_interval_months=d.get("asq3_interval_months"),
            asq3_scores=tuple(
                (domain, d[f"asq3_{domain}"]) for domain in asq3.DOMAINS if d.get(f"asq3_{domain}") is not None
            ),
        )

    def _shows(self, kinds: frozenset[str], type_fixed: bool) -> bool:
        """A section for these contact types: shown for them, and always while the type is still to choose."""
        return not type_fixed or self["contact_type"].value() in kinds

    def shows_feeding(self, type_fixed: bool) -> bool:
        return self._shows(asq3.FEEDING_CONTACT_TYPES, type_fixed)

    def shows_asq3(self, type_fixed: bool) -> bool:
        return self._shows(asq3.ASQ3_CONTACT_TYPES, type_fixed)


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
