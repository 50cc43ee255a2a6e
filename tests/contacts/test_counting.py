"""What counts (pure rules, contacts/counting.py) against the national metric definition (data-standards s.1)."""

from __future__ import annotations

import pytest

from pimh.contacts import counting
from pimh.contacts.models import MANDATED_TYPES, SCHEDULED_KINDS, ContactType, TaskKind

NBV = "new_birth_visit"


def outcome(task_kind=NBV, contact_type=NBV, mode="face_to_face", attendance="attended", flag_open=False):
    return counting.task_outcome(
        task_kind=task_kind,
        task_label=TaskKind(task_kind).label,
        contact_type=contact_type,
        mode=mode,
        attendance=attendance,
        attendance_label="Did not attend",
        flag_open=flag_open,
    )


@pytest.mark.parametrize(
    ("mode", "attendance", "counts"),
    [
        ("face_to_face", "attended", True),
        ("telephone", "attended", False),
        ("video", "attended", False),
        ("face_to_face", "dna", False),
        ("face_to_face", "cancelled_family", False),
        ("face_to_face", "no_access", False),
    ],
)
def test_only_attended_face_to_face_counts_for_the_national_metric(mode, attendance, counts):
    assert counting.counts_for_national_metric(mode=mode, attendance=attendance) is counts


def test_the_rule_sets_agree_with_the_models():
    assert counting.MANDATED == {c.value for c in MANDATED_TYPES}
    assert counting.SCHEDULED == SCHEDULED_KINDS
    assert counting.SCHEDULED <= set(ContactType.values) & set(TaskKind.values)
    assert counting.URGENT_ACTION == TaskKind.URGENT_ACTION


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("antenatal", "Recorded; does not count as the antenatal contact for the national metric"),
        (NBV, "Recorded; does not count as the new birth visit for the national metric"),
        ("six_to_eight_week", "Recorded; does not count as the 6 to 8 week review for the national metric"),
        ("twelve_month", "Recorded; does not count as the 12 month review for the national metric"),
        (
            "two_to_two_and_half_year",
            "Recorded; does not count as the 2 to 2½ year review for the national metric",
        ),
        ("three_to_four_month", "Recorded; does not count as the 3 to 4 month contact"),
    ],
)
def test_the_not_counted_message_names_the_contact(kind, message):
    assert counting.not_counted_note(kind, TaskKind(kind).label) == message


@pytest.mark.parametrize("kind", sorted(counting.MANDATED))
def test_a_mandated_task_is_completed_only_by_an_attended_face_to_face_contact_of_its_type(kind):
    label = TaskKind(kind).label
    expected_note = counting.not_counted_note(kind, label)
    assert outcome(kind, kind) == counting.Outcome(True)
    assert outcome(kind, kind, mode="telephone") == counting.Outcome(False, expected_note)
    assert outcome(kind, kind, mode="video") == counting.Outcome(False, expected_note)
    assert outcome(kind, "additional") == counting.Outcome(False, expected_note)
    assert outcome(kind, "targeted") == counting.Outcome(False, expected_note)
    assert outcome(kind, kind, attendance="dna") == counting.Outcome(False, "Did not attend")


def test_the_3_to_4_month_contact_needs_its_own_type_but_is_not_a_national_metric():
    assert outcome("three_to_four_month", "three_to_four_month", mode="telephone") == counting.Outcome(True)
    assert not outcome("three_to_four_month", "additional").completes


@pytest.mark.parametrize("mode", ["face_to_face", "telephone", "video"])
def test_a_follow_up_is_completed_by_any_attended_contact_recorded_from_it(mode):
    assert outcome("follow_up", "targeted", mode=mode) == counting.Outcome(True)
    assert not outcome("follow_up", "targeted", mode=mode, attendance="dna").completes


def test_an_urgent_flags_task_follows_the_flag():
    assert outcome("urgent_action", "additional", flag_open=True) == counting.Outcome(False, counting.FLAG_OPEN_NOTE)
    assert not counting.may_cancel(task_kind="urgent_action", flag_open=True)
    assert counting.may_cancel(task_kind="urgent_action", flag_open=False)
    assert counting.may_cancel(task_kind=NBV, flag_open=False)


@pytest.mark.parametrize(
    ("contact_type", "mode", "attendance", "note"),
    [
        (NBV, "telephone", "attended", "Recorded; does not count as the new birth visit for the national metric"),
        (NBV, "face_to_face", "attended", ""),
        (NBV, "telephone", "dna", ""),
        ("additional", "telephone", "attended", ""),
    ],
)
def test_contact_note_without_a_task(contact_type, mode, attendance, note):
    label = ContactType(contact_type).label
    assert counting.contact_note(contact_type=contact_type, label=label, mode=mode, attendance=attendance) == note
