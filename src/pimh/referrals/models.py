"""Service directory, referrals with their history, and the specialist's work records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from pimh.core import bounds
from pimh.core.immutable import AppendOnlyModel, append_only_trigger
from pimh.core.models import text_limit
from pimh.families.models import Family, Person
from pimh.referrals import consent as consent_rules
from pimh.referrals.criteria import Criteria
from pimh.referrals.states import AWAITING_APPOINTMENT, STATE_LABELS, WAITING, State


class ServiceKind(models.TextChoices):
    GP = "gp", "GP"
    TALKING_THERAPIES = "talking_therapies", "NHS Talking Therapies"
    PERINATAL_MH_TEAM = "perinatal_mh_team", "Community perinatal mental health team"
    MOTHER_BABY_UNIT = "mother_baby_unit", "Mother and baby unit"
    PARENT_INFANT_TEAM = "parent_infant_team", "Parent-infant relationship team"
    CAMHS = "camhs", "CAMHS"
    SPECIALIST_HV = "specialist_hv", "Specialist health visitor in PIMH"
    SOCIAL_CARE = "social_care", "Children's social care"
    OTHER = "other", "Other"


class Sees(models.TextChoices):
    PARENT = "parent", "Parents"
    INFANT = "infant", "Infants"
    DYAD = "dyad", "Parents and infants"


class Urgency(models.TextChoices):
    EMERGENCY = "emergency", "Emergency"
    URGENT = "urgent", "Urgent"
    ROUTINE = "routine", "Routine"


def all_urgencies() -> list[str]:
    return [u.value for u in Urgency]


class Service(models.Model):
    """A service families can be referred to, with its acceptance criteria. Kept by administrators."""

    append_only = False

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=ServiceKind.choices)
    areas = models.JSONField(default=list, blank=True, help_text="Local authority codes served; empty for any area")
    sees = models.CharField(max_length=10, choices=Sees.choices, default=Sees.DYAD)
    infant_min_months = models.PositiveSmallIntegerField(default=0, help_text="Inclusive")
    infant_max_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Exclusive: 12 accepts infants up to the day before their first birthday"
    )
    urgencies = models.JSONField(default=all_urgencies, help_text="Urgencies accepted")
    phone = models.CharField(max_length=40, blank=True)
    email = models.CharField(max_length=200, blank=True)
    address = models.TextField(blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def criteria(self) -> Criteria:
        return Criteria(
            sees=self.sees,
            infant_min_months=self.infant_min_months,
            infant_max_months=self.infant_max_months,
            urgencies=frozenset(self.urgencies or []),
            areas=frozenset(self.areas or []),
        )


class ReasonCode(models.TextChoices):
    DEPRESSION = "depression", "Depression"
    ANXIETY = "anxiety", "Anxiety"
    SEVERE_ILLNESS = "severe_illness", "Severe mental illness or suspected psychosis"
    SELF_HARM = "self_harm", "Self-harm or suicidal thoughts"
    RELATIONSHIP = "relationship", "Parent-infant relationship concern"
    INFANT_WELLBEING = "infant_wellbeing", "Infant emotional wellbeing"
    BIRTH_TRAUMA = "birth_trauma", "Birth trauma"
    SAFEGUARDING = "safeguarding", "Safeguarding"
    OTHER = "other", "Other"


class Consent(models.TextChoices):
    GIVEN = consent_rules.GIVEN, consent_rules.LABELS[consent_rules.GIVEN]
    NOT_GIVEN = consent_rules.NOT_GIVEN, consent_rules.LABELS[consent_rules.NOT_GIVEN]
    NOT_NEEDED = consent_rules.NOT_NEEDED, consent_rules.LABELS[consent_rules.NOT_NEEDED]


class DeclineReason(models.TextChoices):
    OUTSIDE_AGE_CRITERIA = "outside_age_criteria", "Outside age criteria"
    OUTSIDE_AREA = "outside_area", "Outside area"
    THRESHOLD_NOT_MET = "threshold_not_met", "Threshold not met"
    DUPLICATE = "duplicate", "Duplicate referral"
    OTHER = "other", "Other"


STATUS_CHOICES = [(s.value, STATE_LABELS[s]) for s in State]


class Referral(models.Model):
    append_only = False

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="referrals")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="referrals")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="referrals")
    reason_code = models.CharField(max_length=20, choices=ReasonCode.choices)
    reason_text = models.TextField(blank=True, max_length=bounds.REFERRAL_DETAILS_MAX)
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE)
    source = models.CharField(max_length=60, blank=True, help_text="What prompted it, e.g. screen:123 or flag:45")
    consent = models.CharField(
        max_length=12, choices=Consent.choices, blank=True, help_text="Consent to refer; blank: not recorded"
    )
    consent_note = models.CharField(
        max_length=consent_rules.NOTE_MAX,
        blank=True,
        help_text="Why consent is not needed, or the reason to refer without it (e.g. safeguarding)",
    )
    status = models.CharField(max_length=30, choices=STATUS_CHOICES, default=State.DRAFT)
    criteria_warnings = models.JSONField(default=list, blank=True)
    decline_reason = models.CharField(max_length=30, choices=DeclineReason.choices, blank=True)
    closing_note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    sent_on = models.DateField(null=True, blank=True)
    acknowledged_on = models.DateField(null=True, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    first_appointment_on = models.DateField(null=True, blank=True)
    attended_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["family", "status"]),
            models.Index(fields=["status", "sent_on"]),
            # The lead's overdue and awaiting-appointment lists, in their order (date sent), so that a
            # page is read off the index and not sorted from every waiting referral of the trust.
            models.Index(
                fields=["sent_on", "id"],
                condition=Q(status__in=[s.value for s in WAITING]),
                name="referral_waiting_order",
            ),
            models.Index(
                fields=["sent_on", "id"],
                condition=Q(status__in=[s.value for s in AWAITING_APPOINTMENT]),
                name="referral_awaiting_order",
            ),
        ]
        constraints = [text_limit("reason_text", bounds.REFERRAL_DETAILS_MAX, "referral_reason_text_max_length")]

    def __str__(self) -> str:
        return f"Referral {self.pk}"

    @property
    def state(self) -> State:
        return State(self.status)

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def consent_label(self) -> str:
        return consent_rules.LABELS.get(self.consent, self.consent)


class ReferralEvent(AppendOnlyModel):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    event = models.CharField(max_length=30)
    from_status = models.CharField(max_length=30, blank=True)
    to_status = models.CharField(max_length=30)
    note = models.CharField(max_length=200, blank=True)

    class Meta(AppendOnlyModel.Meta):
        triggers = [append_only_trigger()]
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.event}: {self.from_status} -> {self.to_status}"


class InvolvementKind(models.TextChoices):
    CONSULTATION = "consultation", "Consultation"
    JOINT_WORKING = "joint_working", "Joint working"
    HOLDING = "holding", "Holding the case"


class SpecialistInvolvement(models.Model):
    append_only = False

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="specialist_involvements")
    specialist = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="involvements")
    kind = models.CharField(max_length=20, choices=InvolvementKind.choices)
    started = models.DateField()
    ended = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-started", "-id"]

    def __str__(self) -> str:
        return self.get_kind_display()


class NoteKind(models.TextChoices):
    MESSAGE = "message", "Message"
    CONSULTATION = "consultation", "Consultation note"


class RecordMessage(AppendOnlyModel):
    """One message or consultation note on a family's record between the health visitor, the specialist
    and the team lead. Append-only: a message, once posted, is never changed (a correction is a new one)."""

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="messages")
    kind = models.CharField(max_length=20, choices=NoteKind.choices, default=NoteKind.MESSAGE)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_role = models.CharField(max_length=10, help_text="The author's role when the message was posted")
    at = models.DateTimeField(default=timezone.now)
    text = models.TextField(max_length=bounds.MESSAGE_MAX)

    class Meta(AppendOnlyModel.Meta):
        triggers = [append_only_trigger()]
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["family", "at"])]
        constraints = [text_limit("text", bounds.MESSAGE_MAX, "record_message_text_max_length")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"


class SupervisionKind(models.TextChoices):
    INDIVIDUAL = "individual", "Individual"
    GROUP = "group", "Group"
    SAFEGUARDING = "safeguarding", "Safeguarding"
    REFLECTIVE = "reflective", "Reflective"


class SupervisionSession(models.Model):
    append_only = False

    supervisee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervision")
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    kind = models.CharField(max_length=15, choices=SupervisionKind.choices)
    duration_minutes = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} supervision"


class Course(models.TextChoices):
    PERINATAL_MH_CHAMPION = "perinatal_mh_champion", "Perinatal mental health champion"
    INFANT_MH_CHAMPION = "infant_mh_champion", "Infant mental health champion"
    ELEARNING = "elearning", "e-learning module"


class TrainingRecord(models.Model):
    append_only = False

    practitioner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training")
    course = models.CharField(max_length=30, choices=Course.choices)
    module_name = models.CharField(max_length=200, blank=True, help_text="For e-learning: the module's name")
    completed_on = models.DateField()

    class Meta:
        ordering = ["-completed_on", "-id"]

    def __str__(self) -> str:
        return self.get_course_display()
