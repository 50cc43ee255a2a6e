"""Families (households), the people in them, pregnancies and service levels."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from pimh.core.immutable import AppendOnlyModel, append_only_trigger
from pimh.core.models import Team
from pimh.families import contact_details


class ServiceLevel(models.TextChoices):
    """The 4-5-6 model (domain reference section 1)."""

    COMMUNITY = "community", "Community"
    UNIVERSAL = "universal", "Universal"
    UNIVERSAL_PLUS = "universal_plus", "Universal Plus"
    PARTNERSHIP_PLUS = "partnership_plus", "Universal Partnership Plus"


class Safeguarding(models.TextChoices):
    NONE = "none", "None"
    CHILD_IN_NEED = "cin", "Child in need"
    CHILD_PROTECTION = "cp", "Child protection plan"


class ClosureReason(models.TextChoices):
    """Why a family left the caseload (discharge or closure)."""

    MOVED_AWAY = "moved_away", "Moved out of the area"
    CHILD_TURNED_FIVE = "turned_five", "Youngest child turned 5"
    TRANSFERRED = "transferred", "Transferred to another service"
    DECLINED = "declined", "Family declined the service"
    OTHER = "other", "Other"


class PersonRole(models.TextChoices):
    BIRTHING_PARENT = "birthing_parent", "Birthing parent (mother)"
    FATHER = "father", "Father"
    PARTNER = "partner", "Partner"
    OTHER_CARER = "other_carer", "Other carer"
    INFANT = "infant", "Infant or child"


ADULT_ROLES = (PersonRole.BIRTHING_PARENT, PersonRole.FATHER, PersonRole.PARTNER, PersonRole.OTHER_CARER)


class Sex(models.TextChoices):
    FEMALE = "F", "Female"
    MALE = "M", "Male"
    INDETERMINATE = "I", "Indeterminate"
    NOT_KNOWN = "U", "Not known"


class EthnicCategory(models.TextChoices):
    """NHS Data Dictionary ethnic category (2001 census classification)."""

    A = "A", "White: British"
    B = "B", "White: Irish"
    C = "C", "White: any other White background"
    D = "D", "Mixed: White and Black Caribbean"
    E = "E", "Mixed: White and Black African"
    F = "F", "Mixed: White and Asian"
    G = "G", "Mixed: any other mixed background"
    H = "H", "Asian or Asian British: Indian"
    J = "J", "Asian or Asian British: Pakistani"
    K = "K", "Asian or Asian British: Bangladeshi"
    L = "L", "Asian or Asian British: any other Asian background"
    M = "M", "Black or Black British: Caribbean"
    N = "N", "Black or Black British: African"
    P = "P", "Black or Black British: any other Black background"
    R = "R", "Other: Chinese"
    S = "S", "Other: any other ethnic group"
    Z = "Z", "Not stated"
    UNKNOWN = "99", "Not known"


class RelationshipKind(models.TextChoices):
    BIRTH_MOTHER = "birth_mother", "Birth mother"
    FATHER = "father", "Father"
    OTHER_PARENT = "other_parent", "Other parent"
    STEP_PARENT = "step_parent", "Step-parent or parent's partner"
    GRANDPARENT = "grandparent", "Grandparent"
    FOSTER_CARER = "foster_carer", "Foster carer"
    OTHER = "other", "Other carer"


class PregnancyOutcome(models.TextChoices):
    ONGOING = "ongoing", "Ongoing"
    LIVE_BIRTH = "live_birth", "Live birth"
    LOSS = "loss", "Pregnancy loss"


class Family(models.Model):
    """A household on a team's caseload."""

    append_only = False

    reference = models.CharField(max_length=12, unique=True)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="families")
    allocated_hv = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allocated_families",
        verbose_name="allocated health visitor",
    )
    service_level = models.CharField(max_length=20, choices=ServiceLevel.choices, default=ServiceLevel.UNIVERSAL)
    safeguarding = models.CharField(max_length=5, choices=Safeguarding.choices, default=Safeguarding.NONE)
    lsoa_code = models.CharField("LSOA code", max_length=9, blank=True)
    imd_decile = models.PositiveSmallIntegerField(
        "IMD decile", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    local_authority_code = models.CharField(max_length=9, blank=True)
    # Contact details (families/contact_details.py normalises and checks each).
    address_line_1 = models.CharField(max_length=100, blank=True)
    address_line_2 = models.CharField(max_length=100, blank=True)
    town = models.CharField("town or city", max_length=60, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    phone = models.CharField(max_length=11, blank=True, help_text="10 or 11 digits starting with 0")
    gp_practice_code = models.CharField("GP practice ODS code", max_length=6, blank=True)
    gp_practice_name = models.CharField("GP practice", max_length=100, blank=True)
    alerts = models.JSONField(default=list, blank=True, help_text='[{"kind": "lone_worker", "text": "..."}]')
    version = models.PositiveIntegerField(default=0, help_text="Goes up by one at each edit (stale saves are refused)")
    language = models.CharField("main language", max_length=60, default="English")
    interpreter_needed = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    closed_on = models.DateField(null=True, blank=True, help_text="Discharged or closed: off the caseload")
    closed_reason = models.CharField(max_length=20, choices=ClosureReason.choices, blank=True)
    closed_note = models.CharField(max_length=200, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name_plural = "families"
        # The caseload page: my families in reference order, a range scan that stops after one page.
        indexes = [models.Index(fields=["allocated_hv", "reference"], name="family_hv_reference")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(imd_decile__isnull=True) | models.Q(imd_decile__gte=1, imd_decile__lte=10),
                name="imd_decile_1_to_10",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None

    @property
    def alert_list(self) -> list[tuple[str, str, str]]:
        """Each alert as (kind, label, free text), in the order of ``contact_details.ALERT_KINDS``."""
        return [
            (a["kind"], contact_details.ALERT_LABELS.get(a["kind"], a["kind"]), a.get("text", ""))
            for a in self.alerts or []
        ]

    @property
    def phone_text(self) -> str:
        return contact_details.phone_text(self.phone)


class ServiceLevelChange(AppendOnlyModel):
    """Dated history of a family's service level; the newest is the current one."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="service_level_history")
    level = models.CharField(max_length=20, choices=ServiceLevel.choices)
    effective_from = models.DateField()
    reason = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta(AppendOnlyModel.Meta):
        triggers = [append_only_trigger()]
        ordering = ["-effective_from", "-id"]

    def __str__(self) -> str:
        return f"{self.get_level_display()} from {self.effective_from}"


def full_name(given_name: str, family_name: str) -> str:
    """A person's name as the service shows it (also for names read as values, without a model)."""
    return f"{given_name} {family_name}"


class Person(models.Model):
    append_only = False

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="people")
    role = models.CharField(max_length=20, choices=PersonRole.choices)
    nhs_number = models.CharField("NHS number", max_length=10, unique=True, null=True, blank=True)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100, db_index=True)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.NOT_KNOWN)
    ethnic_category = models.CharField(max_length=2, choices=EthnicCategory.choices, default=EthnicCategory.UNKNOWN)
    pregnancy = models.ForeignKey("Pregnancy", null=True, blank=True, on_delete=models.PROTECT, related_name="infants")
    # Life events (families/life_events.py). Responsibility: from ``responsible_from`` (empty: since birth
    # or registration) until the day before ``responsible_until`` (a move out or transfer).
    date_of_death = models.DateField(null=True, blank=True)
    responsible_from = models.DateField(null=True, blank=True, help_text="The day the child moved in")
    responsible_until = models.DateField(
        null=True, blank=True, help_text="The day the child moved out or was transferred (no longer ours)"
    )
    looked_after_from = models.DateField(null=True, blank=True)
    carer_with_pr = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children_cared_for",
        verbose_name="carer with parental responsibility",
    )
    carer_from = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0, help_text="Goes up by one at each edit (stale saves are refused)")

    class Meta:
        ordering = ["family_id", "role", "date_of_birth"]
        verbose_name_plural = "people"
        # Counting a caseload's children reads this index only, never the people rows.
        indexes = [models.Index(fields=["family", "role"], name="person_family_role")]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def full_name(self) -> str:
        return full_name(self.given_name, self.family_name)

    @property
    def is_infant(self) -> bool:
        return self.role == PersonRole.INFANT

    @property
    def is_living(self) -> bool:
        return self.date_of_death is None

    @property
    def moved_out(self) -> bool:
        return self.responsible_until is not None

    @property
    def prompts_stopped(self) -> bool:
        """No routine prompt for a child who has died or is no longer this provider's responsibility."""
        return self.date_of_death is not None or self.responsible_until is not None

    @property
    def responsibility_start(self) -> dt.date | None:
        """The snapshot's ``responsible_from``: the move-in date, else the date of birth."""
        return self.responsible_from or self.date_of_birth

    @property
    def looked_after(self) -> bool:
        return self.carer_with_pr_id is not None

    def is_responsible_on(self, day: dt.date) -> bool:
        """The provider's responsibility at the end of ``day`` (the same rule as ``responsible_on``)."""
        return (
            (self.responsible_from is None or self.responsible_from <= day)
            and (self.responsible_until is None or self.responsible_until > day)
            and (self.date_of_death is None or self.date_of_death > day)
        )


def responsible_on(day: dt.date) -> models.Q:
    """People the provider is responsible for at the end of ``day`` (C4, C5, C6i: "at quarter end").

    Responsibility starts on the move-in date (none recorded: since birth or registration) and ends on
    the day of a move out, transfer or death.
    """
    return (
        (models.Q(responsible_from__isnull=True) | models.Q(responsible_from__lte=day))
        & (models.Q(responsible_until__isnull=True) | models.Q(responsible_until__gt=day))
        & (models.Q(date_of_death__isnull=True) | models.Q(date_of_death__gt=day))
    )


class Relationship(models.Model):
    """How an adult relates to an infant or child in the family."""

    append_only = False

    adult = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships_to_children")
    child = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships_to_adults")
    kind = models.CharField(max_length=20, choices=RelationshipKind.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["adult", "child"], name="one_relationship_per_pair")]

    def __str__(self) -> str:
        return self.get_kind_display()


class Pregnancy(models.Model):
    append_only = False

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="pregnancies")
    mother = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="pregnancies")
    edd = models.DateField("estimated date of delivery")
    outcome = models.CharField(max_length=12, choices=PregnancyOutcome.choices, default=PregnancyOutcome.ONGOING)
    outcome_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-edd"]
        verbose_name_plural = "pregnancies"

    def __str__(self) -> str:
        return f"Pregnancy, EDD {self.edd}"

    @property
    def routine_prompts_stopped(self) -> bool:
        """A loss stops every routine prompt for this pregnancy."""
        return self.outcome == PregnancyOutcome.LOSS


class LifeEventKind(models.TextChoices):
    MOVED_IN = "moved_in", "Moved in"
    MOVED_OUT = "moved_out", "Moved out of the area"
    TRANSFERRED = "transferred", "Transferred to another provider"
    DIED = "died", "Died"
    LOOKED_AFTER = "looked_after", "Looked after: carer with parental responsibility"
    LOOKED_AFTER_ENDED = "looked_after_ended", "No longer looked after"
    DOB_CORRECTED = "dob_corrected", "Date of birth corrected"
    EDD_CORRECTED = "edd_corrected", "Estimated date of delivery corrected"


class LifeEvent(AppendOnlyModel):
    """A dated change in a person's circumstances, shown on the family record's timeline (history: append-only)."""

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="life_events")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="life_events")
    kind = models.CharField(max_length=20, choices=LifeEventKind.choices)
    on = models.DateField()
    pregnancy = models.ForeignKey(Pregnancy, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    carer = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta(AppendOnlyModel.Meta):
        ordering = ["-on", "-id"]
        triggers = [append_only_trigger()]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.on}"
