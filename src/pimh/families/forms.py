"""Family and person forms. Validation rules live in services.check_*; forms only collect."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from pimh.core import ages, bounds
from pimh.core.forms import DatePartsField, NhsNumberField
from pimh.core.models import Role, Team, User
from pimh.families import services
from pimh.families.contact_forms import ContactDetailsFields
from pimh.families.models import (
    ADULT_ROLES,
    ClosureReason,
    EthnicCategory,
    Family,
    LifeEventKind,
    PersonRole,
    PregnancyOutcome,
    RelationshipKind,
    Safeguarding,
    ServiceLevel,
    Sex,
)

BLANK = [("", "Choose")]


def _role_choices(roles: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(role, PersonRole(role).label) for role in roles]


class PersonFields(forms.Form):
    """The fields of one person; ``prefix`` distinguishes several on one page."""

    role = forms.ChoiceField(label="Role in the family", choices=PersonRole.choices)
    given_name = forms.CharField(label="Given name", max_length=100, error_messages={"required": "Enter a given name"})
    family_name = forms.CharField(
        label="Family name", max_length=100, error_messages={"required": "Enter a family name"}
    )
    nhs_number = NhsNumberField(label="NHS number", required=False, help_text="10 digits, for example 999 123 4560")
    date_of_birth = DatePartsField(label="Date of birth", required=False, help_text="For example, 15 3 1994")
    sex = forms.ChoiceField(label="Sex", choices=Sex.choices, initial=Sex.NOT_KNOWN)
    ethnic_category = forms.ChoiceField(
        label="Ethnic category", choices=EthnicCategory.choices, initial=EthnicCategory.UNKNOWN
    )

    def __init__(self, *args: Any, roles: tuple[str, ...] = tuple(PersonRole.values), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _role_choices(roles)
        if len(roles) == 1:
            self.fields["role"].initial = roles[0]
            self.fields["role"].widget = forms.HiddenInput()

    def person_data(self) -> services.PersonData:
        data = self.cleaned_data
        return services.PersonData(
            role=data["role"],
            given_name=data["given_name"],
            family_name=data["family_name"],
            nhs_number=data.get("nhs_number") or "",
            date_of_birth=data.get("date_of_birth"),
            sex=data["sex"],
            ethnic_category=data["ethnic_category"],
        )


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's field errors on the form (unknown fields and errors without a field go to the top)."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for name, messages in error.message_dict.items():
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


class RegisterFamilyForm(ContactDetailsFields):
    """One page: the household, the birthing parent, optionally the father or partner and the EDD."""

    allocated_hv = forms.ModelChoiceField(
        label="Allocated health visitor",
        queryset=User.objects.none(),
        empty_label="Choose",
        error_messages={"required": "Choose the health visitor"},
    )
    service_level = forms.ChoiceField(
        label="Service level", choices=ServiceLevel.choices, initial=ServiceLevel.UNIVERSAL, widget=forms.RadioSelect
    )
    safeguarding = forms.ChoiceField(label="Safeguarding", choices=Safeguarding.choices, initial=Safeguarding.NONE)
    imd_decile = forms.TypedChoiceField(
        label="IMD decile",
        coerce=int,
        empty_value=None,
        required=False,
        choices=BLANK
        + [
            (str(i), f"{i}{' (most deprived)' if i == 1 else ' (least deprived)' if i == 10 else ''}")
            for i in range(1, 11)
        ],
    )
    language = forms.CharField(label="Main language", max_length=60, initial="English")
    interpreter_needed = forms.BooleanField(label="An interpreter is needed", required=False)

    parent_given_name = forms.CharField(
        label="Given name", max_length=100, error_messages={"required": "Enter the birthing parent's given name"}
    )
    parent_family_name = forms.CharField(
        label="Family name", max_length=100, error_messages={"required": "Enter the birthing parent's family name"}
    )
    parent_nhs_number = NhsNumberField(
        label="NHS number",
        error_messages={"required": "Enter the birthing parent's NHS number"},
        help_text="10 digits, for example 999 123 4560",
    )
    parent_date_of_birth = DatePartsField(
        label="Date of birth",
        error_messages={"required": "Enter the birthing parent's date of birth"},
        help_text="For example, 15 3 1994",
    )
    parent_ethnic_category = forms.ChoiceField(
        label="Ethnic category", choices=EthnicCategory.choices, initial=EthnicCategory.UNKNOWN
    )

    second_role = forms.ChoiceField(
        label="Father or partner",
        required=False,
        choices=[
            ("", "None recorded yet"),
            *_role_choices((PersonRole.FATHER, PersonRole.PARTNER, PersonRole.OTHER_CARER)),
        ],
        help_text="Record fathers and partners as people in their own right whenever you can",
    )
    second_given_name = forms.CharField(label="Given name", max_length=100, required=False)
    second_family_name = forms.CharField(label="Family name", max_length=100, required=False)
    second_nhs_number = NhsNumberField(
        label="NHS number", required=False, help_text="Ask for it: it lets services find them"
    )
    second_date_of_birth = DatePartsField(label="Date of birth", required=False)
    second_sex = forms.ChoiceField(label="Sex", choices=Sex.choices, initial=Sex.NOT_KNOWN)
    second_ethnic_category = forms.ChoiceField(
        label="Ethnic category", choices=EthnicCategory.choices, initial=EthnicCategory.UNKNOWN
    )

    edd = DatePartsField(
        label="Estimated date of delivery (if pregnant)", required=False, help_text="For example, 1 6 2027"
    )

    def __init__(self, *args: Any, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.team = team
        self.fields["allocated_hv"].queryset = team.members.filter(
            role__in=[Role.HEALTH_VISITOR, Role.SPECIALIST_HV, Role.TEAM_LEAD], is_active=True
        ).order_by("first_name", "last_name")
        self.fields["allocated_hv"].label_from_instance = lambda user: user.display_name

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("second_role") and not (data.get("second_given_name") and data.get("second_family_name")):
            raise ValidationError({"second_given_name": "Enter the father's or partner's given and family names"})
        return data

    def details(self) -> services.FamilyDetails:
        d = self.cleaned_data
        return services.FamilyDetails(
            service_level=d["service_level"],
            safeguarding=d["safeguarding"],
            lsoa_code=d["lsoa_code"].strip().upper(),
            imd_decile=d["imd_decile"],
            language=d["language"],
            interpreter_needed=d["interpreter_needed"],
            contact=self.contact_details(),
        )

    def parent(self) -> services.PersonData:
        d = self.cleaned_data
        return services.PersonData(
            role=PersonRole.BIRTHING_PARENT,
            given_name=d["parent_given_name"],
            family_name=d["parent_family_name"],
            nhs_number=d["parent_nhs_number"],
            date_of_birth=d["parent_date_of_birth"],
            sex=Sex.FEMALE,
            ethnic_category=d["parent_ethnic_category"],
        )

    def second_parent(self) -> services.PersonData | None:
        d = self.cleaned_data
        if not d.get("second_role"):
            return None
        return services.PersonData(
            role=d["second_role"],
            given_name=d["second_given_name"],
            family_name=d["second_family_name"],
            nhs_number=d.get("second_nhs_number") or "",
            date_of_birth=d.get("second_date_of_birth"),
            sex=d["second_sex"],
            ethnic_category=d["second_ethnic_category"],
        )


class PersonEditForm(PersonFields):
    """Editing a recorded person: carries the version shown, so a stale save is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class RelationshipForm(forms.Form):
    kind = forms.ChoiceField(label="Relationship to the child", choices=RelationshipKind.choices)


class ServiceLevelForm(forms.Form):
    level = forms.ChoiceField(label="New service level", choices=ServiceLevel.choices, widget=forms.RadioSelect)
    effective_from = DatePartsField(label="From", error_messages={"required": "Enter the date the level changed"})
    reason = forms.CharField(label="Reason", max_length=200, required=False)


class PregnancyForm(forms.Form):
    edd = DatePartsField(
        label="Estimated date of delivery",
        error_messages={"required": "Enter the estimated date of delivery"},
        help_text="For example, 1 6 2027",
    )


class BirthForm(PersonFields):
    """One baby born from a recorded pregnancy.

    A baby's NHS number and date of birth are required (services.check_person), so the labels
    say so, and every problem the person rules find is shown with the form's own in one round.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, roles=(PersonRole.INFANT,), **kwargs)
        self.fields["nhs_number"].required = True
        self.fields["nhs_number"].error_messages["required"] = "Enter the NHS number"
        self.fields["date_of_birth"].required = True
        self.fields["date_of_birth"].error_messages["required"] = "Enter the date of birth"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        partial = services.PersonData(
            role=PersonRole.INFANT,
            given_name=data.get("given_name") or "-",
            family_name=data.get("family_name") or "-",
            nhs_number=data.get("nhs_number") or "",
            date_of_birth=data.get("date_of_birth"),
            sex=data.get("sex") or Sex.NOT_KNOWN,
            ethnic_category=data.get("ethnic_category") or EthnicCategory.UNKNOWN,
        )
        try:
            services.check_person(partial)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                if name in self.fields and name not in self.errors:
                    self.add_error(name, messages)
        return data


MAX_BABIES = 4


class BabiesForm(forms.Form):
    """How many babies were born: the birth page shows that many sets of fields (twins: two)."""

    babies = forms.TypedChoiceField(
        label="Number of babies",
        coerce=int,
        choices=[(1, "1"), (2, "2 (twins)"), (3, "3 (triplets)"), (4, "4")],
        initial=1,
    )


def birth_forms(data: Any, *, count: int, family_name: str) -> list[BirthForm]:
    """One BirthForm per baby, prefixed baby1, baby2, ..."""
    return [BirthForm(data, prefix=f"baby{n}", initial={"family_name": family_name}) for n in range(1, count + 1)]


def apply_birth_errors(babies: list[BirthForm], error: ValidationError) -> None:
    """Route the service's errors (``infant<i>_<field>`` for several babies) to each baby's form."""
    for name, messages in error.message_dict.items():
        index, field = 0, name
        if len(babies) > 1 and name.startswith("infant") and "_" in name:
            head, field = name.split("_", 1)
            index = int(head.removeprefix("infant"))
        form = babies[index]
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


class LossForm(forms.Form):
    outcome_date = DatePartsField(label="Date of the loss", error_messages={"required": "Enter the date"})


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label="Clinical reason for access",
        widget=forms.Textarea,
        max_length=bounds.BREAK_GLASS_REASON_MAX,
        help_text="Recorded and shown to the family's team lead",
        error_messages={"required": "Give the clinical reason for access"},
    )


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search by name or NHS number",
        required=False,
        max_length=100,
        error_messages={
            "max_length": "Search text must be 100 characters or fewer",
            "null_characters_not_allowed": "Search text must contain only letters, numbers, spaces and punctuation",
        },
    )


def adult_choices(family: Family) -> list[tuple[int, str]]:
    return [(p.pk, f"{p.full_name} ({p.get_role_display()})") for p in family.people.filter(role__in=ADULT_ROLES)]


class BreakGlassLookupForm(BreakGlassForm):
    nhs_number = NhsNumberField(
        label="NHS number of a family member", error_messages={"required": "Enter the NHS number"}
    )
    field_order = ["nhs_number", "reason"]


# ---- life events (families/life_events.py) -------------------------------------------------------


class MoveInForm(forms.Form):
    moved_in_on = DatePartsField(
        label="Date the child moved into the area", error_messages={"required": "Enter the date the child moved in"}
    )
    previous_provider = forms.CharField(label="Previous health visiting service", max_length=200, required=False)


class MoveOutForm(forms.Form):
    kind = forms.ChoiceField(
        label="What happened",
        choices=[(k.value, k.label) for k in (LifeEventKind.MOVED_OUT, LifeEventKind.TRANSFERRED)],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the child moved out or was transferred"},
    )
    moved_out_on = DatePartsField(label="Date", error_messages={"required": "Enter the date"})
    note = forms.CharField(label="Receiving service or area", max_length=200, required=False)


class DeathForm(forms.Form):
    date_of_death = DatePartsField(label="Date of death", error_messages={"required": "Enter the date of death"})


class LookedAfterForm(forms.Form):
    carer = forms.TypedChoiceField(
        label="Carer with parental responsibility",
        coerce=int,
        help_text="Add the carer to the family first if they are not listed",
        error_messages={"required": "Choose the carer"},
    )
    relationship = forms.ChoiceField(
        label="Relationship to the child", choices=RelationshipKind.choices, initial=RelationshipKind.FOSTER_CARER
    )
    carer_from = DatePartsField(label="From", error_messages={"required": "Enter the date"})

    def __init__(self, *args: Any, family: Family, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["carer"].choices = BLANK + adult_choices(family)


class EndLookedAfterForm(forms.Form):
    ended_on = DatePartsField(label="No longer looked after from", error_messages={"required": "Enter the date"})
    note = forms.CharField(label="Reason, for example returned home or adopted", max_length=200, required=False)


class EddCorrectionForm(forms.Form):
    edd = DatePartsField(
        label="Corrected estimated date of delivery",
        help_text="From the dating scan. Open contact tasks move to the new dates.",
        error_messages={"required": "Enter the corrected date"},
    )


class AllocateForm(forms.Form):
    """Reallocate a family to a health visitor of its team (team leads)."""

    health_visitor = forms.ChoiceField(label="Allocated health visitor", widget=forms.RadioSelect)

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["health_visitor"].choices = choices  # type: ignore[attr-defined]


class CloseFamilyForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why is the family leaving the caseload?",
        choices=ClosureReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why the family is leaving the caseload"},
    )
    on = DatePartsField(label="Date", error_messages={"required": "Enter the date the family left the caseload"})
    note = forms.CharField(label="Note (required for Other)", max_length=200, required=False)


UNBORN = "unborn"


class CaseloadFilterForm(forms.Form):
    """Filters of "My caseload" (GET): service level, safeguarding, open urgent flag, interpreter need."""

    level = forms.ChoiceField(label="Service level", choices=[("", "Any"), *ServiceLevel.choices], required=False)
    safeguarding = forms.BooleanField(label="Safeguarding (child in need or protection plan)", required=False)
    flagged = forms.BooleanField(label="Open urgent flag", required=False)
    interpreter = forms.BooleanField(label="Interpreter needed", required=False)
    child_age = forms.ChoiceField(
        label="Child's age",
        choices=[("", "Any"), (UNBORN, "Unborn (ongoing pregnancy)"), *ages.AGE_BAND_LABELS.items()],
        required=False,
    )

    def apply(self, families: Any, today: dt.date | None = None) -> Any:
        if not self.is_valid():
            return families
        data = self.cleaned_data
        if data["child_age"]:
            families = self._by_child_age(families, data["child_age"], today or timezone.localdate())
        if data["level"]:
            families = families.filter(service_level=data["level"])
        if data["safeguarding"]:
            families = families.exclude(safeguarding=Safeguarding.NONE)
        if data["flagged"]:
            families = families.filter(has_open_flag=True)
        if data["interpreter"]:
            families = families.filter(interpreter_needed=True)
        return families

    @staticmethod
    def _by_child_age(families: Any, band: str, today: dt.date) -> Any:
        """Families with an ongoing pregnancy, or with a living child of theirs in the age band today."""
        if band == UNBORN:
            return families.filter(pregnancies__outcome=PregnancyOutcome.ONGOING).distinct()
        children = families.filter(
            people__role=PersonRole.INFANT,
            people__date_of_birth__isnull=False,
            people__date_of_death__isnull=True,
            people__responsible_until__isnull=True,
        ).values_list("pk", "people__date_of_birth")
        return families.filter(pk__in={pk for pk, dob in children if ages.in_age_band(dob, today, band)})

    @property
    def active(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.values())
