"""Pathway rules at their edges (pure, no database)."""

from __future__ import annotations

import pytest

from pimh.screening import instruments, pathway


def kinds(code, answers, concern=False):
    result = instruments.score(instruments.get(code), answers)
    return [s.kind for s in pathway.suggestions_for(result, concern=concern)]


@pytest.mark.parametrize(
    ("code", "answers", "expected"),
    [
        ("whooley", [0, 0], []),
        ("whooley", [1, 0], ["full_assessment"]),
        ("whooley", [0, 1], ["full_assessment"]),
        ("gad2", [1, 1], []),
        ("gad2", [1, 2], ["full_assessment"]),
        ("gad2", [3, 3], ["full_assessment"]),
        ("phq2", [1, 1], []),
        ("phq2", [2, 1], ["full_assessment"]),
        ("phq9", [0] * 9, []),
        ("phq9", [0] * 8 + [1], ["urgent_action"]),
        ("gad7", [1] * 7, []),
        ("gad7", [3] * 7, ["listening_visits", "referral", "rescreen"]),
        ("epds", [0, 0, 3, 0, 3, 3, 3, 3, 3, 3], []),  # reverse-scored: all zero scores
        ("epds", [0, 0, 3, 0, 3, 3, 3, 3, 3, 2], ["urgent_action"]),  # item 10 scores 1
    ],
)
def test_rules_at_their_edges(code, answers, expected):
    assert kinds(code, answers) == expected


def test_clinical_concern_alone_suggests_full_assessment():
    assert kinds("whooley", [0, 0], concern=True) == ["full_assessment"]


def test_undetermined_whooley_asks_for_completion_not_assessment():
    assert kinds("whooley", [None, 0]) == ["complete_screen"]


def test_determined_incomplete_whooley_suggests_full_assessment():
    assert kinds("whooley", [None, 1]) == ["full_assessment"]


def test_unanswered_risk_item_prompts_and_answered_one_flags_even_if_incomplete():
    assert kinds("phq9", [None] * 9) == ["complete_screen"]
    assert kinds("phq9", [None] * 8 + [2]) == ["urgent_action", "complete_screen"]


def test_suggestions_carry_rule_id_and_version():
    result = instruments.score(instruments.get("whooley"), [1, 1])
    (suggestion,) = pathway.suggestions_for(result)
    assert suggestion.rule_id == "full-assessment"
    assert suggestion.rule_version == "2"
    assert suggestion.due_within_days == 14
    assert "EPDS or PHQ-9, and GAD-7" in suggestion.text


@pytest.mark.parametrize(
    ("judgement", "expected"),
    [
        ("no_concern", []),
        ("some_concern", ["relationship_follow_up"]),
        ("significant_concern", ["relationship_follow_up"]),
    ],
)
def test_relationship_concern_suggests_follow_up(judgement, expected):
    assert [s.kind for s in pathway.relationship_suggestions(judgement)] == expected
