"""What a contact counts for, and which task it may close (pure: no Django).

The one place for these rules (hazards H-020, H-021, H-024 and H-025):

- **The national metric** (data-standards section 1): a contact counts towards C1-C6 only if it
  was attended **and** face to face.
- **A scheduled contact task** (antenatal, new birth visit, 6-8 week, 12 month, 2-2½ year review,
  3-4 month contact) is closed only by an attended contact **of its own type**. For the five
  mandated contacts it must also be face to face: a telephone or video review is recorded, but the
  task stays open, so the practitioner is still prompted to see the family (our design choice: a
  closed task would stop the prompt for a contact the child has not had; if a face-to-face
  contact is not possible, the practitioner cancels the task with the reason).
- **An urgent flag's task** closes only when the action taken is recorded on its flag: no contact
  completes it and it cannot be cancelled while the flag is open.
- **Any other task** (a follow-up, an assessment) is closed by an attended contact recorded from it.

A contact that does not close a task is recorded against it as an attempt, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass

FACE_TO_FACE = "face_to_face"
ATTENDED = "attended"

# Contact and task kinds (the values of contacts.models.ContactType and TaskKind).
MANDATED = frozenset({"antenatal", "new_birth_visit", "six_to_eight_week", "twelve_month", "two_to_two_and_half_year"})
SCHEDULED = MANDATED | {"three_to_four_month"}
# Reviews of one child: a contact about the whole family must say which children it covers.
PER_CHILD = SCHEDULED - {"antenatal"}
URGENT_ACTION = "urgent_action"

FLAG_OPEN_NOTE = "Recorded; the urgent task stays open until the action taken is recorded on its flag"


@dataclass(frozen=True)
class Outcome:
    """What a contact does to a task: complete it, or leave it open with this note."""

    completes: bool
    note: str = ""


def counts_for_national_metric(*, mode: str, attendance: str) -> bool:
    """Attended and face to face (CSDS attendance 5 or 6, consultation mechanism 01)."""
    return attendance == ATTENDED and mode == FACE_TO_FACE


def not_counted_note(kind: str, label: str) -> str:
    """The message shown when a contact does not count as the task's (or its own) contact."""
    metric = " for the national metric" if kind in MANDATED else ""
    return f"Recorded; does not count as the {label.lower()}{metric}"


def task_outcome(
    *,
    task_kind: str,
    task_label: str,
    contact_type: str,
    mode: str,
    attendance: str,
    attendance_label: str,
    flag_open: bool = False,
) -> Outcome:
    """What a contact of ``contact_type`` recorded from (or matched to) a task does to it."""
    if task_kind == URGENT_ACTION and flag_open:
        return Outcome(False, FLAG_OPEN_NOTE)
    if attendance != ATTENDED:
        return Outcome(False, attendance_label)
    if task_kind in SCHEDULED:
        if contact_type != task_kind:
            return Outcome(False, not_counted_note(task_kind, task_label))
        if task_kind in MANDATED and not counts_for_national_metric(mode=mode, attendance=attendance):
            return Outcome(False, not_counted_note(task_kind, task_label))
    return Outcome(True)


def contact_note(*, contact_type: str, label: str, mode: str, attendance: str) -> str:
    """The message for a mandated contact that was attended but does not count (no task needed)."""
    if contact_type in MANDATED and attendance == ATTENDED and mode != FACE_TO_FACE:
        return not_counted_note(contact_type, label)
    return ""


def may_cancel(*, task_kind: str, flag_open: bool) -> bool:
    """An urgent flag's task is cancelled only by closing its flag."""
    return not (task_kind == URGENT_ACTION and flag_open)
