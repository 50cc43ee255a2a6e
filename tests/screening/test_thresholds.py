"""Configured thresholds, incomplete questionnaires and the cut-off for fathers and partners (pure, no database)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from pimh.screening import instruments, pathway, thresholds
from pimh.screening.instruments import EPDS, GAD2, GAD7, PHQ2, PHQ9, WHOOLEY, determine, score
from pimh.screening.thresholds import Thresholds, ThresholdsError
from tests.screening.test_instruments import answers_for_total

ROOT = Path(__file__).resolve().parents[2]

# --- "determined" for incomplete questionnaires (defect 3) ------------------------------------


@pytest.mark.parametrize(
    ("answered", "unanswered_max", "cutoff", "expected"),
    [
        (3, 3, 3, True),  # the answered items alone reach the cut-off
        (2, 3, 3, None),  # could go either way
        (0, 2, 3, False),  # even the maximum cannot reach it
        (0, 3, 3, None),  # the maximum exactly reaches it: undetermined, never negative
        (12, 0, 13, False),  # complete: plain comparison
        (13, 0, 13, True),
        (0, 0, 0, True),
    ],
)
def test_determine_edges(answered, unanswered_max, cutoff, expected):
    assert determine(answered, unanswered_max, cutoff) is expected


@pytest.mark.parametrize(
    ("instrument", "answers", "positive"),
    [
        (WHOOLEY, [1, None], True),  # one "yes" is positive whatever the other answer
        (WHOOLEY, [None, 1], True),
        (WHOOLEY, [0, None], None),
        (WHOOLEY, [None, None], None),
        (GAD2, [3, None], True),
        (PHQ2, [3, None], True),
        (PHQ2, [None, 3], True),
        (GAD2, [2, None], None),
        (GAD2, [0, None], None),  # 0 + 3 would reach 3
    ],
)
def test_two_item_screens_give_a_determined_result(instrument, answers, positive):
    result = score(instrument, answers)
    assert result.positive is positive
    assert result.total is None
    assert result.band is None
    assert result.complete is False


def test_gad2_zero_and_missing_is_negative_when_the_cut_off_is_4():
    result = score(GAD2, [0, None], thresholds=Thresholds(version="t", gad2=4))
    assert (result.positive, result.outcome) == (False, "negative")


def test_epds_whose_answered_items_reach_the_cut_off_is_positive_at_least_n():
    answers = answers_for_total(EPDS, 13)  # items 1-4 score 3, 3, 3, 3; item 5 scores 1; item 10 scores 0
    answers[5] = None  # item 6 unanswered
    result = score(EPDS, answers)
    assert (result.positive, result.total, result.total_at_least, result.missing_items) == (True, None, 13, (6,))
    assert result.risk_item_flag is False


def test_epds_one_below_with_room_is_undetermined_and_without_room_negative():
    answers = answers_for_total(EPDS, 10)  # items 1-3 score 3, item 4 scores 1, items 5-10 score 0
    answers[0] = None  # item 1 (max 3) unanswered: 7 answered, 7 + 3 = 10 < 13
    assert score(EPDS, answers).positive is False
    answers = answers_for_total(EPDS, 12)
    answers[8] = None  # item 9 scores 0 and could score 3: 12 + 3 >= 13
    assert score(EPDS, answers).positive is None


def test_severe_is_undetermined_while_it_could_still_be_reached():
    answers = answers_for_total(PHQ9, 15)
    answers[7] = None  # item 8 scored 0; 15 + 3 < 20
    result = score(PHQ9, answers)
    assert (result.positive, result.severe) == (True, False)
    answers = answers_for_total(PHQ9, 18)
    answers[7] = None  # 18 answered (item 8 had scored 0): up to 21
    assert score(PHQ9, answers).severe is None


# --- thresholds for a father or partner (defect 5) ----------------------------------------------


@pytest.mark.parametrize("role", ["father", "partner"])
def test_father_or_partner_epds_10_is_positive_where_a_mothers_is_not(role):
    answers = answers_for_total(EPDS, 10)
    mother = score(EPDS, answers, role="mother")
    parent = score(EPDS, answers, role=role)
    assert (mother.positive, mother.band, mother.cutoff) == (False, "possible depression", 13)
    assert (parent.positive, parent.band, parent.cutoff) == (True, "probable depression", 10)
    assert score(EPDS, answers_for_total(EPDS, 9), role=role).positive is False


@pytest.mark.parametrize("code", ["whooley", "gad2", "phq2", "phq9", "gad7"])
def test_other_cut_offs_are_the_same_for_every_parent_by_default(code):
    assert Thresholds().for_role("father").positive_for(code) == Thresholds().for_role("mother").positive_for(code)


def test_unknown_role_is_an_error():
    with pytest.raises(ThresholdsError, match="infant"):
        Thresholds().for_role("infant")


@pytest.mark.parametrize(
    ("instrument", "cutoff", "bands"),
    [
        (EPDS, 10, ((0, "unlikely"), (10, "probable depression"))),
        (EPDS, 15, ((0, "unlikely"), (10, "possible depression"), (15, "probable depression"))),
        (PHQ9, 12, ((0, "minimal"), (5, "mild"), (12, "moderate"), (15, "moderately severe"), (20, "severe"))),
        (PHQ9, 8, ((0, "minimal"), (5, "mild"), (8, "moderate"), (15, "moderately severe"), (20, "severe"))),
        (GAD7, 0, ((0, "moderate"), (15, "severe"))),
        (GAD2, 4, ((0, "negative"), (4, "positive"))),
    ],
)
def test_band_label_follows_the_configured_cut_off(instrument, cutoff, bands):
    th = Thresholds(version="t", **{instrument.code: cutoff})
    assert th.bands_for(instrument) == bands
    below = score(instrument, answers_for_total(instrument, max(cutoff - 1, 0)), thresholds=th)
    at = score(instrument, answers_for_total(instrument, cutoff), thresholds=th)
    positive_label = dict(bands)[cutoff]
    assert (at.positive, at.band) == (True, positive_label)
    assert below.band != positive_label or cutoff == 0


# --- configuration files -------------------------------------------------------------------------


def test_a_thresholds_file_sets_every_value(tmp_path):
    path = tmp_path / "t.json"
    path.write_text(
        json.dumps(
            {
                "version": "trust-2026-1",
                "cutoffs": {"epds": 12, "gad2": 2},
                "father_or_partner": {"epds": 8, "phq9": 9},
                "severe": {"gad7": 15},
                "listening_visits": 8,
                "rescreen_from_days": 7,
                "rescreen_by_days": 21,
            }
        )
    )
    th = thresholds.load(path)
    assert (th.version, th.epds, th.gad2, th.phq9) == ("trust-2026-1", 12, 2, 10)
    assert th.for_role("partner").positive_for("epds") == 8
    assert th.for_role("father").positive_for("phq9") == 9
    assert (th.severe_for("gad7"), th.severe_for("phq9")) == (15, None)
    assert (th.listening_visits, th.rescreen_from_days, th.rescreen_by_days) == (8, 7, 21)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "not valid JSON"),
        ("[]", "JSON object"),
        ('{"cutoffs": {}}', "version"),
        ('{"version": "v", "cut_offs": {}}', "unknown thresholds keys"),
        ('{"version": "v", "cutoffs": {"phq8": 10}}', "unknown instrument"),
        ('{"version": "v", "cutoffs": {"epds": -1}}', "0 or more"),
        ('{"version": "v", "cutoffs": {"epds": "13"}}', "whole number"),
        ('{"version": "v", "father_or_partner": {"epds": true}}', "whole number"),
        ('{"version": "v", "listening_visits": 0}', "at least 1"),
        ('{"version": "v", "rescreen_from_days": 30}', "rescreen"),
        ('{"version": ""}', "version"),
    ],
)
def test_bad_thresholds_files_are_refused(tmp_path, content, message):
    path = tmp_path / "t.json"
    path.write_text(content)
    with pytest.raises(ThresholdsError, match=message):
        thresholds.load(path)


def test_missing_thresholds_file(tmp_path):
    with pytest.raises(ThresholdsError, match="cannot read"):
        thresholds.load(tmp_path / "absent.json")


def test_default_set_matches_each_instruments_published_cut_off():
    for instrument in instruments.REGISTRY.values():
        assert instruments.DEFAULT_THRESHOLDS.positive_for(instrument.code) == instrument.positive_threshold


# --- the pathway holds no cut-off ----------------------------------------------------------------


def test_pathway_module_compares_no_score_with_a_number():
    """A cut-off in the pathway would be a comparison with a number literal: there is none."""
    tree = ast.parse((ROOT / "src" / "pimh" / "screening" / "pathway.py").read_text())
    literal_comparisons = [
        ast.unparse(node)
        for node in ast.walk(tree)
        if isinstance(node, ast.Compare)
        and any(
            isinstance(part, ast.Constant) and isinstance(part.value, int) for part in [node.left, *node.comparators]
        )
    ]
    assert literal_comparisons == []


def kinds(instrument, total, th, role="mother"):
    result = score(instrument, answers_for_total(instrument, total), thresholds=th, role=role)
    return [s.kind for s in pathway.suggestions_for(result, thresholds=th)]


NEXT_STEPS = ["listening_visits", "referral", "rescreen"]


@pytest.mark.parametrize(
    ("instrument", "field", "value", "total", "default_kinds", "configured_kinds"),
    [
        (WHOOLEY, "whooley", 2, 1, ["full_assessment"], []),
        (GAD2, "gad2", 2, 2, [], ["full_assessment"]),
        (PHQ2, "phq2", 4, 3, ["full_assessment"], []),
        (EPDS, "epds", 11, 11, [], NEXT_STEPS),
        (PHQ9, "phq9", 12, 10, NEXT_STEPS, []),
        (GAD7, "gad7", 8, 8, [], NEXT_STEPS),
        (EPDS, "severe", (("epds", 16),), 16, NEXT_STEPS, ["referral"]),
        (PHQ9, "severe", (("phq9", 25),), 20, ["referral"], NEXT_STEPS),
    ],
)
def test_pathway_follows_each_configured_threshold(instrument, field, value, total, default_kinds, configured_kinds):
    assert kinds(instrument, total, Thresholds()) == default_kinds
    assert kinds(instrument, total, Thresholds(version="changed", **{field: value})) == configured_kinds


def test_pathway_follows_the_configured_father_cut_off():
    th = Thresholds(version="changed", partner=(("epds", 8),))
    assert kinds(EPDS, 8, Thresholds(), role="father") == []
    assert kinds(EPDS, 8, th, role="father") == NEXT_STEPS
    assert kinds(EPDS, 8, th, role="mother") == []


def test_pathway_follows_the_configured_course_and_rescreen_window():
    th = Thresholds(version="changed", listening_visits=4, rescreen_from_days=7, rescreen_by_days=21)
    result = score(GAD7, answers_for_total(GAD7, 12), thresholds=th)
    by_kind = {s.kind: s for s in pathway.suggestions_for(result, thresholds=th)}
    assert "a course of 4" in by_kind["listening_visits"].text
    assert (by_kind["rescreen"].due_from_days, by_kind["rescreen"].due_within_days) == (7, 21)
    default = {s.kind: s for s in pathway.suggestions_for(score(GAD7, answers_for_total(GAD7, 12)))}
    assert "a course of 6" in default["listening_visits"].text
    assert (default["rescreen"].due_from_days, default["rescreen"].due_within_days) == (14, 28)


def test_severe_referral_is_urgent_and_by_reason():
    (severe,) = pathway.suggestions_for(score(EPDS, answers_for_total(EPDS, 20)))
    assert (severe.rule_id, severe.kind, severe.referral_urgency, severe.referral_reason) == (
        "severe-referral",
        "referral",
        "urgent",
        "depression",
    )
    refer = [s for s in pathway.suggestions_for(score(GAD7, answers_for_total(GAD7, 10))) if s.kind == "referral"]
    assert [(s.referral_urgency, s.referral_reason) for s in refer] == [("routine", "anxiety")]


@pytest.mark.parametrize(("code", "item"), [("epds", 10), ("phq9", 9)])
def test_unanswered_risk_item_is_a_same_day_urgent_prompt(code, item):
    instrument = instruments.get(code)
    answers = answers_for_total(instrument, 0)
    answers[item - 1] = None
    (prompt,) = pathway.suggestions_for(score(instrument, answers))
    assert (prompt.rule_id, prompt.action, prompt.urgent, prompt.due_within_days) == (
        "risk-item-unanswered",
        "task",
        True,
        0,
    )
    assert f"item {item}" in prompt.text
