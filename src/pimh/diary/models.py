"""Booked contacts: a practitioner's diary of future visits and clinics."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from pimh.contacts.models import Contact, ContactType, Location, Task
from pimh.families.models import Family, Person


class BookingStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    DONE = "done", "Recorded"
    CANCELLED = "cancelled", "Cancelled"


class Booking(models.Model):
    """A future contact with a family, in one practitioner's diary, optionally for a task."""

    append_only = False

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="bookings")
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.PROTECT, related_name="bookings")
    practitioner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings")
    contact_type = models.CharField(max_length=30, choices=ContactType.choices)
    date = models.DateField()
    time = models.TimeField()
    location = models.CharField(max_length=10, choices=Location.choices, default=Location.HOME)
    place = models.CharField(max_length=200, blank=True, help_text="For example the clinic's name")
    people = models.ManyToManyField(Person, blank=True, related_name="bookings")
    status = models.CharField(max_length=10, choices=BookingStatus.choices, default=BookingStatus.BOOKED)
    cancel_reason = models.CharField(max_length=200, blank=True)
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.PROTECT, related_name="bookings")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date", "time", "id"]
        # My diary: one practitioner's bookings between two dates.
        indexes = [models.Index(fields=["practitioner", "date"], name="booking_practitioner_date")]
        constraints = [
            models.UniqueConstraint(
                fields=["task"], condition=models.Q(status="booked"), name="one_open_booking_per_task"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_contact_type_display()} booked for {self.date} {self.time:%H:%M}"

    @property
    def is_booked(self) -> bool:
        return self.status == BookingStatus.BOOKED
