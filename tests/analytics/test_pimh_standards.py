"""PIMH quality standards on hand-built snapshots (quarter FY2026Q1 = April to June 2026)."""

from __future__ import annotations

from pimh.analytics import engine

from .builders import Snap, counts


def test_mothers_and_fathers_asked_about_emotional_wellbeing(tmp_path):
    s = Snap()
    s.child("c1", "2026-01-01")
    s.parent("dad1", "father", "c1", "father")
    s.contact("six_to_eight_week", "2026-04-02", "c1")
    s.screen("mother-c1", "whooley", "2026-04-02", child_id="c1")  # mother asked at the 6-8 week review
    s.child("c2", "2025-04-20")
    s.parent("partner2", "partner", "c2", "partner")
    s.contact("twelve_month", "2026-04-21", "c2", mechanism="11")  # by video: still an attended contact
    s.screen("partner2", "gad2", "2026-04-21", role="partner", child_id="c2")  # partner asked, mother not
    s.child("c3", "2026-04-01")
    s.contact("new_birth_visit", "2026-04-10", "c3", attendance="3")  # not attended: not in the denominator
    s.contact("additional", "2026-04-12", "c3")  # not one of the four contacts
    s.pregnancy("g1", "2026-08-01")
    s.contact("antenatal", "2026-05-01", pregnancy_id="g1")
    s.screen("mother-g1", "epds", "2026-05-01")  # an EPDS is not the Whooley or GAD-2 question
    result = counts(s.write(tmp_path), engine.pimh1)
    # Mothers: c1's 6-8 week (asked), c2's 12-month (not asked), g1's antenatal (not asked).
    assert result["PIMH1M"] == (1, 3)
    # Fathers and partners: dad1 at c1's review (not asked), partner2 at c2's review (asked).
    assert result["PIMH1P"] == (1, 2)


def test_parent_role_breakdown_separates_fathers_and_partners(tmp_path):
    s = Snap()
    s.child("c1", "2026-01-01")
    s.parent("dad1", "father", "c1", "father")
    s.parent("partner1", "partner", "c1", "partner")
    s.contact("six_to_eight_week", "2026-04-02", "c1")
    s.screen("dad1", "whooley", "2026-04-02", role="father", child_id="c1")
    result = counts(s.write(tmp_path), engine.pimh1, by=["parent_role"])
    assert result[("PIMH1P", "father")] == (1, 1)
    assert result[("PIMH1P", "partner")] == (0, 1)
    assert result[("PIMH1M", "birthing_parent")] == (0, 1)


def test_positive_screens_followed_by_a_full_assessment_within_14_days(tmp_path):
    s = Snap()
    s.child("c1", "2026-01-01")
    s.screen("mother-c1", "whooley", "2026-04-02", child_id="c1", positive=True)
    s.screen("mother-c1", "gad2", "2026-04-02", child_id="c1", positive=True)  # same day: one episode
    s.screen("mother-c1", "epds", "2026-04-16", child_id="c1")  # day 14: in time
    s.child("c2", "2026-01-01")
    s.screen("mother-c2", "whooley", "2026-05-01", child_id="c2", positive=True)
    s.screen("mother-c2", "phq9", "2026-05-16", child_id="c2")  # day 15: late
    s.child("c3", "2026-01-01")
    s.screen("mother-c3", "whooley", "2026-05-01", child_id="c3", positive=True)
    s.screen("mother-c3", "epds", "2026-05-03", child_id="c3", complete=False)  # incomplete: not an assessment
    s.child("c4", "2026-01-01")
    s.screen("mother-c4", "whooley", "2026-05-01", child_id="c4", positive=False)  # negative: not in scope
    result = counts(s.write(tmp_path), engine.pimh2_pimh3)
    assert result["PIMH2"] == (1, 3)


def test_risk_items_with_same_day_urgent_action(tmp_path):
    s = Snap()
    s.child("c1", "2026-01-01")
    s.screen("mother-c1", "epds", "2026-04-02", child_id="c1", risk=True)
    s.referral("2026-04-02", parent_id="mother-c1", urgency="urgent")  # same day: acted on
    s.child("c2", "2026-01-01")
    s.screen("mother-c2", "phq9", "2026-04-05", child_id="c2", risk=True)
    s.referral("2026-04-06", parent_id="mother-c2", urgency="emergency")  # next day: not same-day
    s.child("c3", "2026-01-01")
    s.screen("mother-c3", "epds", "2026-04-07", child_id="c3", risk=True)
    s.referral("2026-04-07", parent_id="mother-c3", urgency="routine")  # routine is not urgent action
    s.child("c4", "2026-01-01")
    s.screen("mother-c4", "epds", "2026-04-07", child_id="c4", risk=None)  # risk item unanswered
    result = counts(s.write(tmp_path), engine.pimh2_pimh3)
    assert result["PIMH3"] == (1, 3)


def test_referral_timeliness_and_age_criteria_declines(tmp_path):
    s = Snap()
    s.child("c1", "2026-01-01")
    s.referral(
        "2026-04-01",
        child_id="c1",
        acknowledged_on="2026-04-15",
        decision="accepted",
        decided_on="2026-04-20",
        first_appointment_on="2026-05-13",
    )  # 14 days; 42 days: both in time
    s.referral(
        "2026-04-01",
        child_id="c1",
        acknowledged_on="2026-04-16",
        decision="accepted",
        decided_on="2026-04-20",
        first_appointment_on="2026-05-14",
    )  # 15 days; 43 days: both late
    s.child("baby", "2026-02-01")
    s.referral(
        "2026-04-10",
        child_id="baby",
        service_kind="camhs",
        acknowledged_on="2026-04-11",
        decision="declined",
        decided_on="2026-04-12",
        decline_reason="outside_age_criteria",
    )
    s.child("toddler", "2024-10-01")  # 18 months old when referred
    s.referral(
        "2026-04-10",
        child_id="toddler",
        service_kind="camhs",
        decision="declined",
        decided_on="2026-04-12",
        decline_reason="outside_area",
    )
    folder = s.write(tmp_path)
    result = counts(folder, engine.pimh_referrals)
    assert result["PIMH5a"] == (2, 4)  # c1's first and baby's; toddler's never acknowledged
    assert result["PIMH5b"] == (1, 2)  # accepted referrals only
    assert result["PIMH6"] == (1, 4)
    bands = counts(folder, engine.pimh_referrals, by=["infant_age_band"])
    assert bands[("PIMH6", "0-12 months")] == (1, 3)
    assert bands[("PIMH6", "12-24 months")] == (0, 1)


def test_specialist_involvement_per_1000_births(tmp_path):
    s = Snap()
    for n in range(4):
        s.child(f"born{n}", "2026-05-01")
    s.child("older", "2026-03-31")  # born before the quarter
    s.referral(
        "2026-03-01",
        child_id="older",
        service_kind="parent_infant_team",
        decision="accepted",
        first_appointment_on="2026-04-02",
        attended_on="2026-04-02",
    )
    s.referral(
        "2026-03-01",
        child_id="born1",
        service_kind="talking_therapies",
        decision="accepted",
        first_appointment_on="2026-05-20",
        attended_on="2026-05-20",
    )  # not a specialist PIMH service
    result = counts(s.write(tmp_path), engine.pimh7)
    assert result["PIMH7"] == (1, 4)
