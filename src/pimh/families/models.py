"""Families (households), the people in them, pregnancies and service levels."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from pimh.core.immutable import AppendOnlyModel, append_only_trigger
from pimh.core.models import Team


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
    language = models.CharField("main language", max_length=60, default="English")
    interpreter_needed = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "families"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(imd_decile__isnull=True) | models.Q(imd_decile__gte=1, imd_decile__lte=10),
                name="imd_decile_1_to_10",
            )
        ]

    def __str__(self) -> str:
        return self.reference


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

    class Meta:
        ordering = ["family_id", "role", "date_of_birth"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def is_infant(self) -> bool:
        return self.role == PersonRole.INFANT


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
