"""Data-quality checks printed with every indicator run."""

from __future__ import annotations

from pimh.analytics import engine, quality

from .builders import Snap


def checks(folder):
    return {check.name: check for check in quality.record_checks(engine.open_snapshot(folder))}


def test_contacts_before_birth_after_death_and_unknown_codes_are_found(tmp_path):
    s = Snap()
    s.child("c1", "2026-03-10", date_of_death="2026-05-01", ethnic_category="X")
    s.contact("new_birth_visit", "2026-03-09", "c1")  # before birth
    s.contact("six_to_eight_week", "2026-05-02", "c1", mechanism="77")  # after death, unknown mechanism
    s.contact("home_visit", "2026-04-01", "c1")  # unknown contact type
    found = checks(s.write(tmp_path))
    assert found["contacts before birth"].detail.startswith("1 contact")
    assert found["contacts after death"].detail.startswith("1 contact")
    assert not found["unknown codes: contacts.mechanism"].passed
    assert not found["unknown codes: contacts.contact_type"].passed
    assert not found["unknown codes: children.ethnic_category"].passed
    assert found["unknown codes: contacts.attendance"].passed


def test_identities_c5_at_least_c4_and_c2_plus_c3_at_most_100():
    good = quality.identities({"C4": (70, 100), "C5": (80, 100), "C2": (85, 100), "C3": (13, 100)})
    assert [check.passed for check in good] == [True, True]
    bad = quality.identities({"C4": (90, 100), "C5": (80, 100), "C2": (85, 100), "C3": (16, 100)})
    assert [(check.name, check.passed) for check in bad] == [("C5 >= C4", False), ("C2 + C3 <= 100%", False)]
