"""Screens, decision-support suggestions, urgent flags and relationship observations (domain sections 3-4).

EPDS answers are stored as option positions and item scores only, never item text.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from pimh.contacts.models import Contact, Task
from pimh.core import bounds
from pimh.core.models import text_limit
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
    total_at_least = models.PositiveSmallIntegerField(default=0, help_text="Sum of the answered items")
    cutoff = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The positive cut-off applied (the parent's own: mother, father or partner)"
    )
    missing_items = models.JSONField(default=list)
    band = models.CharField(max_length=40, blank=True)
    positive = models.BooleanField(null=True)
    risk_item_flag = models.BooleanField(null=True)
    concern = models.BooleanField(default=False, help_text="Clinical concern recorded with the screen")
    interpreter_used = models.BooleanField(default=False)
    interpreter_language = models.CharField(max_length=60, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [
            models.Index(fields=["family", "recorded_at"]),
            # Recent positive screens of a whole team (PIMH need on the lead's weighted caseloads).
            models.Index(fields=["recorded_at"], condition=models.Q(positive=True), name="screen_positive_recorded"),
        ]

    def __str__(self) -> str:
        return f"{self.instrument} screen {self.pk}"

    @property
    def complete(self) -> bool:
        return not self.missing_items

    @property
    def outcome(self) -> str:
        """ "positive", "negative" or "undetermined" (incomplete, could still go either way)."""
        return {True: "positive", False: "negative", None: "undetermined"}[self.positive]

    @property
    def total_label(self) -> str:
        if self.total is not None:
            return str(self.total)
        missing = ", ".join(str(n) for n in self.missing_items)
        return f"At least {self.total_at_least} (incomplete: items {missing} not answered)"

    @property
    def result_label(self) -> str:
        """Never "negative" unless determined: an incomplete screen that could go either way is undetermined."""
        if self.complete:
            return self.band
        return {
            "positive": "Positive (incomplete: the answered items already reach the cut-off)",
            "negative": "Negative (incomplete: the unanswered items could not reach the cut-off)",
            "undetermined": "Undetermined: complete the questionnaire",
        }[self.outcome]


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
# An emergency (suspected postpartum psychosis) needs a specialist assessment within this time.
EMERGENCY_ASSESSMENT_WITHIN = dt.timedelta(hours=4)


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
    action_taken = models.TextField(blank=True, max_length=bounds.REASON_MAX)
    action_at = models.DateTimeField(null=True, blank=True)
    action_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-emergency", "-raised_at", "-id"]
        indexes = [
            models.Index(fields=["status", "family"]),
            models.Index(fields=["status", "emergency", "raised_at"], name="flag_open_list"),
        ]
        constraints = [text_limit("action_taken", bounds.REASON_MAX, "flag_action_taken_max_length")]

    def __str__(self) -> str:
        return self.get_reason_display()

    @property
    def is_open(self) -> bool:
        return self.status == FlagStatus.OPEN

    @property
    def deadline(self) -> dt.datetime | None:
        """When an emergency's specialist assessment is due (4 hours from raising); None otherwise."""
        return self.raised_at + EMERGENCY_ASSESSMENT_WITHIN if self.emergency else None


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
    due_from_days = models.PositiveSmallIntegerField(default=0)
    urgent = models.BooleanField(default=False)
    referral_reason = models.CharField(max_length=30, blank=True, help_text="For a referral suggestion")
    referral_urgency = models.CharField(max_length=10, blank=True, help_text="For a referral suggestion")
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    override_reason = models.TextField(blank=True, max_length=bounds.REASON_MAX)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [text_limit("override_reason", bounds.REASON_MAX, "suggestion_override_reason_max_length")]

    def __str__(self) -> str:
        return self.text

    @property
    def is_referral(self) -> bool:
        return self.kind == "referral"


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
    notes = models.TextField(blank=True, max_length=bounds.NOTES_MAX)
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [text_limit("notes", bounds.NOTES_MAX, "relationship_notes_max_length")]

    def __str__(self) -> str:
        return self.get_judgement_display()
