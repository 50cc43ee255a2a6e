"""My diary, booking a contact, recording or cancelling a booking. Thin: Scope reads, service writes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from pimh.contacts import forms as contact_forms
from pimh.contacts import presenters as contact_presenters
from pimh.core.once import submit_once
from pimh.diary import forms, presenters, rules, services
from pimh.diary.models import Booking
from pimh.families.forms import apply_service_errors
from pimh.families.models import PersonRole
from pimh.families.reads import audited_read
from pimh.families.scope import scope_for

clinical = permission_required("families.view_family", raise_exception=True)


def _booking(request: HttpRequest, pk: int) -> Booking:
    scope = scope_for(request)
    return scope.record(
        scope.bookings.select_related("family", "task", "task__person", "task__pregnancy", "practitioner"), pk
    )


@login_required
@clinical
def diary(request: HttpRequest) -> HttpResponse:
    """My diary: my booked contacts for a day or a week (the user's own list: no per-family read)."""
    today = timezone.localdate()
    view = rules.parse_view(request.GET.get("view"))
    day = rules.parse_day(request.GET.get("date"), today=today)
    days = presenters.diary_days(scope_for(request), rules.shown_days(day, view), today=today)
    return render(
        request,
        "diary/diary.jinja",
        {
            "view": view,
            "day": day,
            "days": days,
            "links": presenters.page_links(day, view, today=today),
            "family_name": presenters.family_name,
            "outside_window": services.window_warning,
            "count": sum(len(d.bookings) for d in days),
        },
    )


@login_required
@clinical
@audited_read
@submit_once
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest, pk: int) -> HttpResponse:
    family = scope_for(request).family(pk)
    tasks = services.bookable_tasks(family)
    chosen = next((t for t in tasks if str(t.pk) == request.GET.get("task")), None)
    people = list(family.people.filter(role=PersonRole.BIRTHING_PARENT).values_list("pk", flat=True))
    initial: dict[str, object] = {"people_ids": people}
    if chosen is not None:
        child = [chosen.person_id] if chosen.person_id else []
        initial = {"task_id": chosen.pk, "contact_type": chosen.kind, "people_ids": [*people, *child]}
    form = forms.BookingForm(request.POST or None, family=family, tasks=tasks, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            booking = services.book_contact(by=request.user, family=family, data=form.booking_data())  # type: ignore[arg-type]
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, f"{booking.get_contact_type_display()}: {rules.booked_text(booking.date, booking.time)}"
            )
            warning = services.window_warning(booking)
            if warning:
                messages.warning(request, warning)
            return redirect(f"{reverse('diary')}?view=day&date={booking.date.isoformat()}")
    return render(request, "diary/book.jinja", {"family": family, "form": form, "task": chosen})


@login_required
@clinical
@audited_read
@submit_once
@require_http_methods(["GET", "POST"])
def record(request: HttpRequest, pk: int) -> HttpResponse:
    """The contact form, pre-filled from the booking; saving it marks the booking done."""
    booking = _booking(request, pk)
    family = booking.family
    if not booking.is_booked:
        messages.error(request, f"This booking is already {booking.get_status_display().lower()}")
        return redirect("family-detail", pk=family.pk)
    today = timezone.localdate()
    task = booking.task if booking.task is not None and booking.task.is_open else None
    people = list(booking.people.values_list("pk", flat=True))
    subject = task.person_id if task is not None else None
    initial = {
        "contact_type": booking.contact_type,
        "subject_id": subject,
        "date": min(booking.date, today),
        "time": booking.time.strftime("%H:%M"),
        "location": booking.location,
        "present_ids": people,
    }
    form = contact_forms.ContactForm(request.POST or None, family=family, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.record_from_booking(by=request.user, booking=booking, data=form.contact_data())  # type: ignore[arg-type]
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"{contact.get_contact_type_display()} recorded")
            for message in contact_presenters.contact_messages(scope_for(request), contact):
                messages.info(request, message)
            return redirect("family-detail", pk=family.pk)
    return render(
        request, "contacts/contact_form.jinja", {"family": family, "form": form, "task": task, "booking": booking}
    )


@login_required
@clinical
@audited_read
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _booking(request, pk)
    form = forms.CancelBookingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_booking(by=request.user, booking=booking, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Booking cancelled: {booking.get_contact_type_display()}")
            return redirect("family-detail", pk=booking.family_id)
    return render(request, "diary/cancel.jinja", {"booking": booking, "family": booking.family, "form": form})
