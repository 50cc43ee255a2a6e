"""National metrics on hand-built snapshots: each case sits on a cohort or numerator edge.

Quarter FY2026Q1 = 1 April to 30 June 2026. Expected numerators and denominators are worked out by
hand in each test from data-standards.md section 1.
"""

from __future__ import annotations

from pimh.analytics import engine
from pimh.analytics.indicators import Settings

from .builders import Snap, counts, coverage


def nbv_snapshot(tmp_path):
    s = Snap()
    # C2/C3 cohort for Q1 = born 2 March to 1 June 2026 (the published window table).
    s.child("a", "2026-03-10")
    s.contact("new_birth_visit", "2026-03-24", "a")  # DoB + 14: within 14 days (default setting)
    s.child("b", "2026-03-10")
    s.contact("new_birth_visit", "2026-03-25", "b")  # DoB + 15: after 14 days
    for twin in ("twin1", "twin2"):  # twins are two children
        s.child(twin, "2026-04-01", birthing_parent_id="mother-twins")
        s.contact("new_birth_visit", "2026-04-10", twin)
    s.child("phone", "2026-04-05")
    s.contact("new_birth_visit", "2026-04-10", "phone", mechanism="02")  # telephone: does not count
    s.child("dna", "2026-04-20")
    s.contact("new_birth_visit", "2026-04-27", "dna", attendance="3")  # did not attend ...
    s.contact("new_birth_visit", "2026-05-02", "dna")  # ... then seen on day 12
    s.child("before", "2026-03-01")  # a day before the window
    s.contact("new_birth_visit", "2026-03-08", "before")
    s.child("last", "2026-06-01")  # last day of the window, never visited
    s.child("after", "2026-06-02")  # a day after the window
    s.child("moved_in", "2026-04-01", responsible_from="2026-05-15")  # not the provider's on day 30
    s.contact("new_birth_visit", "2026-05-16", "moved_in")
    s.child("late", "2026-05-20")
    s.contact("new_birth_visit", "2026-07-02", "late")  # after 14 days but after the quarter: in neither
    return s.write(tmp_path)


def test_c2_c3_cohort_edges_twins_telephone_and_did_not_attend(tmp_path):
    result = counts(nbv_snapshot(tmp_path), engine.c2_c3)
    # Cohort: a, b, twin1, twin2, phone, dna, last, late = 8. Within 14 days: a, twin1, twin2, dna = 4.
    assert result["C2"] == (4, 8)
    # After 14 days, by the quarter's end: b only.
    assert result["C3"] == (1, 8)


def test_within_14_days_is_a_setting(tmp_path):
    result = counts(nbv_snapshot(tmp_path), engine.c2_c3, settings=Settings(nbv_within_days=13))
    assert result["C2"] == (3, 8)  # a (DoB + 14) moves to C3
    assert result["C3"] == (2, 8)


def test_c2_windows_are_a_configurable_table(tmp_path):
    windows = {**Settings().nbv_windows, 1: ((3, 1, 0), (5, 31, 0))}  # one day earlier at both ends
    result = counts(nbv_snapshot(tmp_path), engine.c2_c3, settings=Settings(nbv_windows=windows))
    # 'before' (1 March, seen day 7) joins; 'last' (1 June) leaves.
    assert result["C2"] == (5, 8)


def test_c4_and_c5_twelve_month_review(tmp_path):
    s = Snap()
    # C4 cohort: turned 12 months in Q1 = born 1 April to 30 June 2025, responsible on 30 June 2026.
    s.child("k1", "2025-04-01")
    s.contact("twelve_month", "2026-04-01", "k1")  # on the first birthday: by 12 months
    s.child("k2", "2025-05-15")
    s.contact("twelve_month", "2026-05-16", "k2")  # a day after: not by 12 months
    s.child("k3", "2025-06-30")
    s.contact("twelve_month", "2026-02-20", "k3")  # at under 9 months: not a 12-month review (OHID 9-15 months)
    s.child("k4", "2025-06-30")
    s.contact("twelve_month", "2026-03-30", "k4")  # exactly 9 months: counts
    s.child("k5", "2025-05-01", responsible_to="2026-06-15")  # moved out before the quarter's end
    s.contact("twelve_month", "2026-04-20", "k5")
    s.child("k6", "2025-05-01")
    s.contact("twelve_month", "2026-04-20", "k6", mechanism="11")  # video: does not count
    # C5 cohort: turned 15 months in Q1 = born 1 January to 31 March 2025.
    s.child("m1", "2025-01-10")
    s.contact("twelve_month", "2025-12-01", "m1")  # early review (before 12 months, an earlier quarter): counts
    s.child("m2", "2025-03-31")
    s.contact("twelve_month", "2026-06-30", "m2")  # on the day the child turns 15 months: counts
    s.child("m3", "2025-02-10")
    s.contact("twelve_month", "2026-05-11", "m3")  # 15 months and a day: does not
    s.child("m4", "2025-02-10")
    result = counts(s.write(tmp_path), engine.c4_c5_c6i)
    assert result["C4"] == (2, 5)  # k1, k4 of k1, k2, k3, k4, k6
    assert result["C5"] == (2, 4)  # m1, m2 of m1-m4


def test_c6i_excludes_children_who_died_before_the_review(tmp_path):
    s = Snap()
    # Turned 2½ in Q1 = born 1 October to 31 December 2023.
    s.child("n1", "2023-10-01")
    s.contact("two_to_two_and_half_year", "2026-04-01", "n1")  # on the day they turn 30 months
    s.child("n2", "2023-11-01", date_of_death="2025-01-01")  # died before any review: excluded
    s.child("n3", "2023-11-01", date_of_death="2026-05-01")
    s.contact("two_to_two_and_half_year", "2025-11-15", "n3")  # reviewed, then died: stays, counted
    s.child("n4", "2023-12-31")  # never reviewed
    s.child("n5", "2023-12-15")
    s.contact("two_to_two_and_half_year", "2026-05-01", "n5", attendance="3")  # did not attend
    s.child("n6", "2023-09-30")  # turned 2½ in the previous quarter
    result = counts(s.write(tmp_path), engine.c4_c5_c6i)
    assert result["C6i"] == (2, 4)


def test_c6ii_and_asq3_domains(tmp_path):
    s = Snap()
    s.child("n1", "2023-10-01")
    review = s.contact("two_to_two_and_half_year", "2026-04-01", "n1", asq3_used=True)
    # 30-month cut-offs: communication 33.30, gross motor 36.14, fine motor 19.25, problem solving 27.08,
    # personal-social 32.01. At or above the cut-off is "at or above the expected level".
    s.asq(review, "n1", 30, communication=35, gross_motor=35, fine_motor=20, problem_solving=25, personal_social=35)
    s.child("p1", "2024-01-15")
    s.contact("two_to_two_and_half_year", "2026-05-01", "p1", asq3_used=False)
    s.child("p2", "2024-01-20")
    s.contact("two_to_two_and_half_year", "2026-05-02", "p2", mechanism="02", asq3_used=True)  # telephone
    s.child("p3", "2023-11-01")
    s.contact("two_to_two_and_half_year", "2026-03-31", "p3", asq3_used=True)  # previous quarter
    result = counts(s.write(tmp_path), engine.c6_reviews)
    assert result["C6ii"] == (1, 2)
    assert result["C6iii"] == (1, 1)
    assert result["C6iv"] == (0, 1)
    assert result["C6v"] == (1, 1)
    assert result["C6vi"] == (0, 1)
    assert result["C6vii"] == (1, 1)


def test_c8i_and_breastfeeding_coverage(tmp_path):
    s = Snap()
    # Turned 56 days in Q1 = born 4 February to 5 May 2026.
    s.child("r1", "2026-02-04")
    s.contact("six_to_eight_week", "2026-04-01", "r1", breastfeeding_status="02")  # DoB + 56, partially breastfed
    s.child("r2", "2026-02-10")
    s.contact("six_to_eight_week", "2026-04-08", "r2", breastfeeding_status="03")  # DoB + 57: late, not breastfed
    s.child("r3", "2026-02-03")  # turned 56 days on 31 March
    s.contact("six_to_eight_week", "2026-03-25", "r3", breastfeeding_status="01")
    s.child("r4", "2026-03-01")  # no review
    folder = s.write(tmp_path)
    result = counts(folder, engine.c8)
    assert result["C8i"] == (1, 3)
    assert result["C8ii"] == (1, 3)
    assert coverage(folder, engine.c8)["C8ii"] == 2  # status recorded for 2 of 3: under 95%, withheld


def test_c1_first_antenatal_contact_at_28_weeks_in_the_quarter(tmp_path):
    s = Snap()
    s.pregnancy("g1", "2026-07-01")
    s.contact("antenatal", "2026-04-08", pregnancy_id="g1")  # EDD - 84 days = 28 weeks + 0 days
    s.pregnancy("g2", "2026-07-01")
    s.contact("antenatal", "2026-04-07", pregnancy_id="g2")  # 27 weeks 6 days
    s.pregnancy("g3", "2026-05-01")
    s.contact("antenatal", "2026-03-20", pregnancy_id="g3")  # first at >= 28 weeks was last quarter
    s.contact("antenatal", "2026-04-10", pregnancy_id="g3")
    s.pregnancy("g4", "2026-06-15")
    s.contact("antenatal", "2026-05-01", pregnancy_id="g4", mechanism="02")  # telephone
    result = counts(s.write(tmp_path), engine.c1)
    assert result == {"C1": (1, 0)}
