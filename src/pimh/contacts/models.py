"""Contacts (encounters) and tasks with a dated history (domain reference section 2)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from pimh.contacts import asq3, counting
from pimh.contacts.task_states import CLOSED, OPEN, WORKLIST, TaskEventName, TaskStatus
from pimh.core import bounds
from pimh.core.immutable import AppendOnlyModel, append_only_trigger
from pimh.core.models import text_limit
from pimh.families.models import Family, Person, Pregnancy
from pimh.interop import csds


class ContactType(models.TextChoices):
    ANTENATAL = "antenatal", "Antenatal contact"
    NEW_BIRTH_VISIT = "new_birth_visit", "New birth visit"
    SIX_TO_EIGHT_WEEK = "six_to_eight_week", "6 to 8 week review"
    TWELVE_MONTH = "twelve_month", "12 month review"
    TWO_TO_TWO_AND_HALF_YEAR = "two_to_two_and_half_year", "2 to 2½ year review"
    THREE_TO_FOUR_MONTH = "three_to_four_month", "3 to 4 month contact"
    LISTENING_VISIT = "listening_visit", "Listening visit"
    ADDITIONAL = "additional", "Additional contact"
    TARGETED = "targeted", "Targeted contact"
    SPECIALIST = "specialist", "Specialist contact"


MANDATED_TYPES = (
    ContactType.ANTENATAL,
    ContactType.NEW_BIRTH_VISIT,
    ContactType.SIX_TO_EIGHT_WEEK,
    ContactType.TWELVE_MONTH,
    ContactType.TWO_TO_TWO_AND_HALF_YEAR,
)
POSTNATAL_TYPES = MANDATED_TYPES[1:]


class Mode(models.TextChoices):
    FACE_TO_FACE = "face_to_face", "Face to face"
    TELEPHONE = "telephone", "Telephone"
    VIDEO = "video", "Video"


class Location(models.TextChoices):
    HOME = "home", "Home"
    CLINIC = "clinic", "Clinic"
    OTHER = "other", "Other"


class Attendance(models.TextChoices):
    ATTENDED = "attended", "Attended"
    DID_NOT_ATTEND = "dna", "Did not attend"
    CANCELLED_BY_FAMILY = "cancelled_family", "Cancelled by the family"
    CANCELLED_BY_SERVICE = "cancelled_service", "Cancelled by the service"
    NO_ACCESS = "no_access", "No access"


class FeedingStatus(models.TextChoices):
    """Infant feeding at the new birth visit and 6-8 week review: the CSDS codes (CYP610)."""

    TOTALLY = asq3.TOTALLY, asq3.FEEDING_LABELS[asq3.TOTALLY]
    PARTIALLY = asq3.PARTIALLY, asq3.FEEDING_LABELS[asq3.PARTIALLY]
    NOT_AT_ALL = asq3.NOT_AT_ALL, asq3.FEEDING_LABELS[asq3.NOT_AT_ALL]


class Contact(models.Model):
    """One encounter with a family. Only attended, face-to-face contacts count for C1-C6."""

    append_only = False

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="contacts")
    subject = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contacts",
        help_text="The infant for a review, the mother for an antenatal contact",
    )
    pregnancy = models.ForeignKey(Pregnancy, null=True, blank=True, on_delete=models.PROTECT, related_name="contacts")
    contact_type = models.CharField(max_length=30, choices=ContactType.choices)
    csds_activity_code = models.CharField("CSDS care activity type", max_length=2, blank=True)
    date = models.DateField()
    time = models.TimeField(null=True, blank=True)
    practitioner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contacts")
    mode = models.CharField(max_length=15, choices=Mode.choices, default=Mode.FACE_TO_FACE)
    location = models.CharField(max_length=10, choices=Location.choices, default=Location.HOME)
    attendance = models.CharField(max_length=20, choices=Attendance.choices, default=Attendance.ATTENDED)
    present = models.ManyToManyField(Person, blank=True, related_name="contacts_present")
    covers = models.ManyToManyField(
        Person,
        blank=True,
        related_name="contacts_covering",
        help_text="For a contact about the whole family at a review: the children it covers (twins: both)",
    )
    others_present = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True, max_length=bounds.NOTES_MAX)
    recorded_at = models.DateTimeField(default=timezone.now)
    # Infant feeding (new birth visit, 6-8 week review) and ASQ-3 (12-month, 2-2½ year review): rules in asq3.py.
    feeding_status = models.CharField(
        "Infant feeding", max_length=2, choices=FeedingStatus.choices, blank=True, help_text="CSDS CYP610 code"
    )
    asq3_used = models.BooleanField("ASQ-3 used", default=False)
    asq3_interval_months = models.PositiveSmallIntegerField(
        "ASQ-3 questionnaire interval (months)", null=True, blank=True
    )
    asq3_communication = models.PositiveSmallIntegerField(null=True, blank=True)
    asq3_gross_motor = models.PositiveSmallIntegerField(null=True, blank=True)
    asq3_fine_motor = models.PositiveSmallIntegerField(null=True, blank=True)
    asq3_problem_solving = models.PositiveSmallIntegerField(null=True, blank=True)
    asq3_personal_social = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["family", "date"])]
        constraints = [text_limit("notes", bounds.NOTES_MAX, "contact_notes_max_length")]

    def __str__(self) -> str:
        return f"{self.get_contact_type_display()} on {self.date}"

    @property
    def counts_for_metrics(self) -> bool:
        return counting.counts_for_national_metric(mode=self.mode, attendance=self.attendance)

    @property
    def asq3_scores(self) -> dict[str, int]:
        """The domain scores recorded, by domain (asq3.DOMAINS order)."""
        found = {domain: getattr(self, f"asq3_{domain}") for domain in asq3.DOMAINS}
        return {domain: score for domain, score in found.items() if score is not None}

    @property
    def asq3_bands(self) -> list[tuple[str, int, str | None]]:
        """(domain, score, band) for each domain scored; band None where no cut-off is configured."""
        interval = self.asq3_interval_months or 0
        return [(d, score, asq3.band(interval, d, score)) for d, score in self.asq3_scores.items()]

    @property
    def csds_mechanism(self) -> str:
        """CSDS consultation mechanism (01 face to face, 02 telephone, 11 video): interop.csds holds the map."""
        return csds.CONS_MECHANISM[self.mode]

    @property
    def csds_attendance(self) -> str:
        """CSDS attendance status (5 attended, 3 did not attend, 2 and 4 cancelled): interop.csds holds the map."""
        return csds.ATTENDANCE_STATUS[self.attendance]


class TaskKind(models.TextChoices):
    ANTENATAL = "antenatal", "Antenatal contact"
    NEW_BIRTH_VISIT = "new_birth_visit", "New birth visit"
    SIX_TO_EIGHT_WEEK = "six_to_eight_week", "6 to 8 week review"
    TWELVE_MONTH = "twelve_month", "12 month review"
    TWO_TO_TWO_AND_HALF_YEAR = "two_to_two_and_half_year", "2 to 2½ year review"
    THREE_TO_FOUR_MONTH = "three_to_four_month", "3 to 4 month contact"
    FOLLOW_UP = "follow_up", "Follow-up"
    FULL_ASSESSMENT = "full_assessment", "Full mental health assessment"
    URGENT_ACTION = "urgent_action", "Urgent action"
    RELATIONSHIP_FOLLOW_UP = "relationship_follow_up", "Parent-infant relationship follow-up"
    REFERRAL_CHASE = "referral_chase", "Chase a referral"
    REFERRAL_TIMELINESS = "referral_timeliness", "Referral at risk of breaching a standard"
    TRANSFER_IN = "transfer_in", "Transfer-in contact"
    COMPLETE_SCREEN = "complete_screen", "Complete a questionnaire"
    LISTENING_VISITS = "listening_visits", "Listening visits"
    RESCREEN = "rescreen", "Re-screen"
    OTHER = "other", "Other"


SCHEDULED_KINDS = frozenset(c.value for c in MANDATED_TYPES) | {TaskKind.THREE_TO_FOUR_MONTH.value}


class Task(models.Model):
    """Something a practitioner must do for a family, with a window and a state."""

    append_only = False

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="tasks")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks")
    pregnancy = models.ForeignKey(Pregnancy, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks")
    kind = models.CharField(max_length=30, choices=TaskKind.choices)
    title = models.CharField(max_length=200)
    urgent = models.BooleanField(default=False)
    due_from = models.DateField()
    due_by = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    # No index of its own: every index in Meta starts with it (a single-column one led SQLite to read
    # all of a practitioner's tasks instead of the range of one state and date).
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
        db_index=False,
    )
    status = models.CharField(
        max_length=10, choices=[(s.value, s.label) for s in TaskStatus], default=TaskStatus.UPCOMING
    )
    status_changed_at = models.DateTimeField(default=timezone.now)
    cancel_reason = models.CharField(max_length=200, blank=True)
    completed_by = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.PROTECT, related_name="completed_tasks"
    )
    rule_version = models.CharField(max_length=40, blank=True)
    source = models.CharField(max_length=60, blank=True, help_text="What raised the task, e.g. screen:123")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-urgent", "due_by", "id"]
        # The calendar refresh reads only the tasks due to change (services.due_to_change): each of its
        # conditions is a range on one of these, trust-wide (nightly) or for one practitioner (a page view).
        indexes = [
            models.Index(fields=["assigned_to", "status", "due_by"]),
            models.Index(fields=["assigned_to", "status", "due_from"], name="task_assignee_status_from"),
            models.Index(fields=["assigned_to", "status", "expires_on"], name="task_assignee_status_expiry"),
            models.Index(fields=["status", "due_from"]),
            models.Index(fields=["status", "due_by"], name="task_status_due_by"),
            models.Index(fields=["status", "expires_on"], name="task_status_expires_on"),
            # "My work" in its order, for one practitioner: the first page is read off the index, however
            # many tasks they hold.
            models.Index(
                fields=["assigned_to", "-urgent", "due_by", "id"],
                condition=models.Q(status__in=WORKLIST),
                name="task_worklist_order",
            ),
        ]
        constraints = [
            # One scheduled contact task per child (or pregnancy) and kind.
            models.UniqueConstraint(
                fields=["person", "kind"],
                condition=models.Q(source="schedule"),
                name="one_scheduled_task_per_person_kind",
            ),
            models.UniqueConstraint(
                fields=["pregnancy", "kind"],
                condition=models.Q(source="schedule"),
                name="one_scheduled_task_per_pregnancy_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED


class TaskEvent(AppendOnlyModel):
    """The dated history of a task: every transition and attempt."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    event = models.CharField(max_length=10, choices=[(e.value, e.value) for e in TaskEventName])
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=200, blank=True)
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta(AppendOnlyModel.Meta):
        triggers = [append_only_trigger()]
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.event}: {self.from_status} -> {self.to_status}"
