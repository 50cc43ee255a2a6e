"""Screens, decision-support suggestions, urgent flags and relationship observations (domain sections 3-4).

EPDS answers are stored as option positions and item scores only, never item text.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from pimh.contacts.models import Contact, Task
from pimh.families.models import Family, Person


class Screen(models.Model):
    append_only = False

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="screens")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="screens")
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.PROTECT, related_name="screens")
    instrument = models.CharField(max_length=10)
    instrument_version = models.CharField(max_length=10)
    thresholds_version = models.CharField(max_length=40)
    answers = models.JSONField(help_text="Option positions, 0 = first option; null = unanswered")
    item_scores = models.JSONField()
    total = models.PositiveSmallIntegerField(null=True, blank=True)
    missing_items = models.JSONField(default=list)
    band = models.CharField(max_length=40, blank=True)
    positive = models.BooleanField(null=True)
    risk_item_flag = models.BooleanField(null=True)
    concern = models.BooleanField(default=False, help_text="Clinical concern recorded with the screen")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["family", "recorded_at"])]

    def __str__(self) -> str:
        return f"{self.instrument} screen {self.pk}"

    @property
    def complete(self) -> bool:
        return not self.missing_items


class FlagReason(models.TextChoices):
    RISK_ITEM = "risk_item", "Self-harm item scored above 0"
    SELF_HARM_THOUGHTS = "self_harm_thoughts", "Thoughts of self-harm"
    SUSPECTED_POSTPARTUM_PSYCHOSIS = "suspected_postpartum_psychosis", "Suspected postpartum psychosis"
    CHANGE_IN_MENTAL_STATE = "change_in_mental_state", "Recent significant change in mental state or new symptoms"
    VIOLENT_SELF_HARM = "violent_self_harm", "New thoughts or acts of violent self-harm"
    INCOMPETENCE_OR_ESTRANGEMENT = (
        "incompetence_or_estrangement",
        "New persistent expressions of incompetence as a parent or estrangement from the infant",
    )
    OTHER = "other", "Other red flag"


EMERGENCY_REASONS = frozenset({FlagReason.SUSPECTED_POSTPARTUM_PSYCHOSIS.value})


class FlagStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class UrgentFlag(models.Model):
    append_only = False

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="urgent_flags")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="urgent_flags")
    screen = models.ForeignKey(Screen, null=True, blank=True, on_delete=models.PROTECT, related_name="flags")
    reason = models.CharField(max_length=40, choices=FlagReason.choices)
    emergency = models.BooleanField(default=False)
    raised_at = models.DateTimeField(default=timezone.now)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    action_taken = models.TextField(blank=True)
    action_at = models.DateTimeField(null=True, blank=True)
    action_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-emergency", "-raised_at", "-id"]
        indexes = [models.Index(fields=["status", "family"])]

    def __str__(self) -> str:
        return self.get_reason_display()

    @property
    def is_open(self) -> bool:
        return self.status == FlagStatus.OPEN


class Decision(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    OVERRIDDEN = "overridden", "Overridden"


class Suggestion(models.Model):
    append_only = False

    screen = models.ForeignKey(Screen, on_delete=models.PROTECT, related_name="suggestions")
    rule_id = models.CharField(max_length=40)
    rule_version = models.CharField(max_length=10)
    kind = models.CharField(max_length=30)
    text = models.CharField(max_length=300)
    due_within_days = models.PositiveSmallIntegerField(default=14)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    override_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text


class Judgement(models.TextChoices):
    NO_CONCERN = "no_concern", "No concern"
    SOME_CONCERN = "some_concern", "Some concern"
    SIGNIFICANT_CONCERN = "significant_concern", "Significant concern"


class Observation(models.TextChoices):
    RESPONSIVE = "responsive", "Responds to the baby's cues"
    WARMTH = "warmth", "Warm, affectionate handling"
    EYE_CONTACT = "eye_contact", "Eye contact and talking to the baby"
    LITTLE_INTERACTION = "little_interaction", "Little interaction with the baby"
    NEGATIVE_ATTRIBUTIONS = "negative_attributions", "Negative descriptions of the baby"
    ROUGH_HANDLING = "rough_handling", "Rough or insensitive handling"
    PARENT_WITHDRAWN = "parent_withdrawn", "Parent withdrawn or preoccupied"


class RelationshipObservation(models.Model):
    append_only = False

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="relationship_observations")
    parent = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    infant = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    judgement = models.CharField(max_length=20, choices=Judgement.choices)
    observations = models.JSONField(default=list)
    notes = models.TextField(blank=True)
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return self.get_judgement_display()
