"""Tests for pimh.screening.instruments (pure Python, no Django).

EPDS item text is copyright and must never appear here: EPDS tests use item
numbers and option positions only.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pimh.screening import instruments as ins
from pimh.screening.instruments import (
    EPDS,
    GAD2,
    GAD7,
    PHQ2,
    PHQ9,
    REGISTRY,
    WHOOLEY,
    Instrument,
    Item,
    ScoringError,
    TextPackError,
    Thresholds,
    describe,
    get,
    load_text_pack,
    score,
)

ALL = tuple(REGISTRY.values())


def answers_for_total(instrument: Instrument, total: int) -> list[int | None]:
    """Option positions giving ``total``, filling items in order."""
    answers: list[int | None] = []
    remaining = total
    for item in instrument.items:
        item_score = min(item.max_score, remaining)
        remaining -= item_score
        answers.append(item.score(item_score))  # score() is its own inverse
    assert remaining == 0
    return answers


def towards_more_symptoms(item: Item, position: int) -> int:
    return item.score(min(item.max_score, item.score(position) + 1))


# --- registry and definitions ---------------------------------------------


def test_registry_codes() -> None:
    assert set(REGISTRY) == {"whooley", "gad2", "phq2", "phq9", "gad7", "epds"}
    assert all(code == inst.code for code, inst in REGISTRY.items())


def test_get_returns_instrument() -> None:
    assert get("phq9") is PHQ9


def test_get_unknown_code_lists_valid_codes() -> None:
    with pytest.raises(KeyError, match="unknown instrument 'phq8'; valid codes: epds, gad2, gad7, phq2, phq9, whooley"):
        get("phq8")


@pytest.mark.parametrize(
    ("instrument", "items", "max_total"),
    [(WHOOLEY, 2, 2), (GAD2, 2, 6), (PHQ2, 2, 6), (EPDS, 10, 30), (PHQ9, 9, 27), (GAD7, 7, 21)],
)
def test_shape(instrument: Instrument, items: int, max_total: int) -> None:
    assert len(instrument.items) == items
    assert [i.number for i in instrument.items] == list(range(1, items + 1))
    assert instrument.max_total == max_total


def test_no_epds_item_has_text() -> None:
    assert all(item.text is None for item in EPDS.items)
    assert EPDS.option_labels is None
    assert EPDS.stem is None


@pytest.mark.parametrize("instrument", [WHOOLEY, GAD2, PHQ2, PHQ9, GAD7])
def test_public_instruments_have_text_and_labels(instrument: Instrument) -> None:
    assert all(item.text for item in instrument.items)
    assert instrument.option_labels is not None
    assert all(len(instrument.option_labels) == item.options for item in instrument.items)


def test_public_domain_wording() -> None:
    assert GAD7.option_labels == ("Not at all", "Several days", "More than half the days", "Nearly every day")
    assert PHQ2.items == PHQ9.items[:2]
    assert GAD2.items == GAD7.items[:2]
    assert PHQ9.items[8].text == "Thoughts that you would be better off dead or of hurting yourself in some way"
    assert WHOOLEY.option_labels == ("No", "Yes")
    assert WHOOLEY.items[0].text == (
        "During the past month, have you often been bothered by feeling down, depressed or hopeless?"
    )
    assert WHOOLEY.items[1].text == (
        "During the past month, have you often been bothered by having little interest or pleasure in doing things?"
    )
    assert ins.WHOOLEY_HELP_QUESTION == "Is this something you feel you need or want help with?"
    assert ins.WHOOLEY_HELP_QUESTION_DEFAULT is False
    assert PHQ9.stem == "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
    assert GAD7.stem == "Over the last 2 weeks, how often have you been bothered by the following problems?"


@pytest.mark.parametrize(
    ("instrument", "snomed", "verified", "loinc"),
    [
        (EPDS, "450320001", True, None),
        (PHQ9, "720433000", True, "44261-6"),
        (GAD7, "445455005", True, "70274-6"),
        (WHOOLEY, "803351000000106", True, None),
        (PHQ2, "836541000000100", True, None),
        (GAD2, "836571000000106", False, None),
    ],
)
def test_codes(instrument: Instrument, snomed: str, verified: bool, loinc: str | None) -> None:
    assert instrument.snomed_code == snomed
    assert instrument.snomed_verified is verified
    assert instrument.loinc_code == loinc


@pytest.mark.parametrize("instrument", ALL)
def test_instrument_default_threshold_matches_default_thresholds(instrument: Instrument) -> None:
    assert ins.DEFAULT_THRESHOLDS.positive_for(instrument.code) == instrument.positive_threshold


# --- EPDS scoring direction -------------------------------------------------

EPDS_DIRECTION = [
    (1, 0, 0), (1, 3, 3),
    (2, 0, 0), (2, 3, 3),
    (3, 0, 3), (3, 3, 0),
    (4, 0, 0), (4, 3, 3),
    (5, 0, 3), (5, 3, 0),
    (6, 0, 3), (6, 3, 0),
    (7, 0, 3), (7, 3, 0),
    (8, 0, 3), (8, 3, 0),
    (9, 0, 3), (9, 3, 0),
    (10, 0, 3), (10, 3, 0),
]  # fmt: skip


@pytest.mark.parametrize(("item", "position", "expected"), EPDS_DIRECTION)
def test_epds_item_direction(item: int, position: int, expected: int) -> None:
    answers: list[int | None] = [None] * 10
    answers[item - 1] = position
    result = score(EPDS, answers)
    assert result.item_scores[item - 1] == expected


def test_epds_reverse_scored_items() -> None:
    directions = {i.number: i.reverse_scored for i in EPDS.items}
    assert directions == {1: False, 2: False, 3: True, 4: False, 5: True, 6: True, 7: True, 8: True, 9: True, 10: True}


# --- band boundaries ----------------------------------------------------------

BOUNDARIES = [
    (EPDS, 0, "unlikely", False),
    (EPDS, 9, "unlikely", False),
    # A mother's EPDS is positive from 13 (probable depression); 10-12 is "possible depression".
    (EPDS, 10, "possible depression", False),
    (EPDS, 12, "possible depression", False),
    (EPDS, 13, "probable depression", True),
    (EPDS, 30, "probable depression", True),
    (PHQ9, 0, "minimal", False),
    (PHQ9, 4, "minimal", False),
    (PHQ9, 5, "mild", False),
    (PHQ9, 9, "mild", False),
    (PHQ9, 10, "moderate", True),
    (PHQ9, 14, "moderate", True),
    (PHQ9, 15, "moderately severe", True),
    (PHQ9, 19, "moderately severe", True),
    (PHQ9, 20, "severe", True),
    (PHQ9, 27, "severe", True),
    (GAD7, 0, "minimal", False),
    (GAD7, 4, "minimal", False),
    (GAD7, 5, "mild", False),
    (GAD7, 9, "mild", False),
    (GAD7, 10, "moderate", True),
    (GAD7, 14, "moderate", True),
    (GAD7, 15, "severe", True),
    (GAD7, 21, "severe", True),
    (GAD2, 2, "negative", False),
    (GAD2, 3, "positive", True),
    (PHQ2, 2, "negative", False),
    (PHQ2, 3, "positive", True),
]


@pytest.mark.parametrize(("instrument", "total", "band", "positive"), BOUNDARIES)
def test_band_boundaries(instrument: Instrument, total: int, band: str, positive: bool) -> None:
    result = score(instrument, answers_for_total(instrument, total))
    assert result.total == total
    assert result.band == band
    assert result.positive is positive
    assert result.missing_items == ()


@pytest.mark.parametrize(
    ("answers", "band", "positive"),
    [([0, 0], "negative", False), ([1, 0], "positive", True), ([0, 1], "positive", True), ([1, 1], "positive", True)],
)
def test_whooley(answers: list[int | None], band: str, positive: bool) -> None:
    result = score(WHOOLEY, answers)
    assert result.band == band
    assert result.positive is positive
    assert result.risk_item_flag is False


# --- risk items ---------------------------------------------------------------


@pytest.mark.parametrize(("position", "flag"), [(0, True), (1, True), (2, True), (3, False)])
def test_epds_item_10_risk_flag(position: int, flag: bool) -> None:
    answers: list[int | None] = [0, 0, 3, 0, 3, 3, 3, 3, 3, position]
    result = score(EPDS, answers)
    assert result.risk_item_flag is flag
    assert result.item_scores[9] == 3 - position


@pytest.mark.parametrize(("position", "flag"), [(0, False), (1, True), (3, True)])
def test_phq9_item_9_risk_flag(position: int, flag: bool) -> None:
    result = score(PHQ9, [0] * 8 + [position])
    assert result.risk_item_flag is flag


@pytest.mark.parametrize("instrument", [WHOOLEY, GAD2, PHQ2, GAD7])
def test_instruments_without_risk_item_never_flag(instrument: Instrument) -> None:
    result = score(instrument, [item.max_score for item in instrument.items])
    assert instrument.risk_item is None
    assert result.risk_item_flag is False


# --- incomplete questionnaires --------------------------------------------------


def test_incomplete_has_no_total_band_or_screen() -> None:
    # Answered items sum to 6; the two unanswered could add 0 to 6: 6-12 straddles the cut-off of 10.
    result = score(PHQ9, [1, 1, None, 1, 1, None, 1, 1, 0])
    assert result.total is None
    assert result.band is None
    assert result.positive is None
    assert result.outcome == "undetermined"
    assert result.total_at_least == 6
    assert result.missing_items == (3, 6)
    assert result.complete is False
    assert result.item_scores == (1, 1, None, 1, 1, None, 1, 1, 0)
    assert result.risk_item_flag is False


def test_incomplete_epds_still_flags_answered_risk_item() -> None:
    result = score(EPDS, [None] * 9 + [0])
    assert result.total is None
    assert result.missing_items == (1, 2, 3, 4, 5, 6, 7, 8, 9)
    assert result.risk_item_flag is True


def test_incomplete_phq9_still_flags_answered_risk_item() -> None:
    result = score(PHQ9, [None] * 8 + [2])
    assert result.risk_item_flag is True
    assert result.positive is None


def test_unanswered_risk_item_is_unknown() -> None:
    result = score(EPDS, [0] * 9 + [None])
    assert result.risk_item_flag is None
    assert result.missing_items == (10,)


def test_result_records_versions() -> None:
    result = score(GAD7, [0] * 7)
    assert result.instrument == "gad7"
    assert result.version == GAD7.version
    assert result.thresholds_version == ins.DEFAULT_THRESHOLDS.version
    assert result.complete is True


# --- invalid input ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("instrument", "answers", "message"),
    [
        (PHQ9, [0] * 8, "phq9 expects 9 answers, got 8"),
        (EPDS, [0] * 11, "epds expects 10 answers, got 11"),
        (WHOOLEY, [], "whooley expects 2 answers, got 0"),
        (GAD7, [0, 0, 4, 0, 0, 0, 0], "item 3 of gad7: 4 is out of range 0-3"),
        (GAD2, [-1, 0], "item 1 of gad2: -1 is out of range 0-3"),
        (WHOOLEY, [0, 2], "item 2 of whooley: 2 is out of range 0-1"),
        (PHQ2, [True, 0], "item 1 of phq2: True is not an option position"),
        (PHQ2, [0, "1"], "item 2 of phq2: '1' is not an option position"),
    ],
)
def test_invalid_answers(instrument: Instrument, answers: list[int | None], message: str) -> None:
    with pytest.raises(ScoringError) as excinfo:
        score(instrument, answers)
    assert str(excinfo.value) == message
    assert isinstance(excinfo.value, ValueError)


# --- custom thresholds ------------------------------------------------------------


def test_custom_epds_threshold() -> None:
    thresholds = Thresholds(version="trust-2025-1", epds=13)
    result = score(EPDS, answers_for_total(EPDS, 12), thresholds=thresholds)
    assert result.positive is False
    assert result.band == "possible depression"
    assert result.thresholds_version == "trust-2025-1"
    assert score(EPDS, answers_for_total(EPDS, 13), thresholds=thresholds).positive is True


def test_custom_screen_threshold_moves_screen_band() -> None:
    thresholds = Thresholds(version="local", gad2=2)
    result = score(GAD2, [1, 1], thresholds=thresholds)
    assert result.positive is True
    assert result.band == "positive"


def test_band_override() -> None:
    bands = ((0, "unlikely"), (10, "possible depression"), (14, "probable depression"))
    thresholds = Thresholds(version="override", band_overrides=(("epds", bands),))
    assert score(EPDS, answers_for_total(EPDS, 13), thresholds=thresholds).band == "possible depression"
    assert score(EPDS, answers_for_total(EPDS, 14), thresholds=thresholds).band == "probable depression"
    assert score(PHQ9, answers_for_total(PHQ9, 15), thresholds=thresholds).band == "moderately severe"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"phq9": -1},
        {"band_overrides": (("epds", ((1, "a"),)),)},
        {"band_overrides": (("epds", ((0, "a"), (5, "b"), (5, "c"))),)},
        {"band_overrides": (("epds", ()),)},
        {"band_overrides": (("asq3", ((0, "a"),)),)},
    ],
)
def test_invalid_thresholds(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Thresholds(**kwargs)  # type: ignore[arg-type]


# --- describe -----------------------------------------------------------------------


def test_describe() -> None:
    info = describe(EPDS)
    assert info["code"] == "epds"
    assert info["version"] == EPDS.version
    assert info["positive_threshold"] == 13
    assert info["father_or_partner_threshold"] == 10
    assert info["severe_threshold"] == 20
    assert info["bands"] == [
        {"from": 0, "label": "unlikely"},
        {"from": 10, "label": "possible depression"},
        {"from": 13, "label": "probable depression"},
    ]
    assert info["source"] == EPDS.source
    assert info["thresholds_version"] == "default-2"


def test_describe_screen_bands_follow_threshold() -> None:
    info = describe(GAD2, Thresholds(version="y", gad2=2))
    assert info["bands"] == [{"from": 0, "label": "negative"}, {"from": 2, "label": "positive"}]
    assert describe(WHOOLEY)["bands"] == [{"from": 0, "label": "negative"}, {"from": 1, "label": "positive"}]


def test_positive_for_unknown_code() -> None:
    with pytest.raises(KeyError, match="no threshold for 'phq8'"):
        ins.DEFAULT_THRESHOLDS.positive_for("phq8")


def test_describe_with_custom_thresholds() -> None:
    info = describe(PHQ9, Thresholds(version="x", phq9=12))
    assert info["positive_threshold"] == 12
    assert info["thresholds_version"] == "x"


@pytest.mark.parametrize("instrument", ALL)
def test_describe_is_json_serialisable(instrument: Instrument) -> None:
    assert json.loads(json.dumps(describe(instrument)))["code"] == instrument.code


# --- EPDS text pack -------------------------------------------------------------------


def write_pack(tmp_path: Path, content: str) -> Path:
    path = tmp_path / "epds-pack.json"
    path.write_text(content, encoding="utf-8")
    return path


def test_load_text_pack(tmp_path: Path) -> None:
    pack = {str(n): f"Placeholder {n}" for n in range(1, 11)}
    loaded = load_text_pack(write_pack(tmp_path, json.dumps(pack)))
    assert loaded == {n: f"Placeholder {n}" for n in range(1, 11)}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (json.dumps({str(n): f"P{n}" for n in range(1, 10)}), r"must have items 1-10; missing \[10\], unexpected \[\]"),
        (json.dumps({str(n): f"P{n}" for n in range(1, 12)}), r"missing \[\], unexpected \[11\]"),
        (json.dumps({"one": "P"}), "key 'one' is not an item number"),
        (json.dumps({"1": ""}), "item 1 text must be a non-empty string"),
        ('{"1": "P1", "01": "P1"}', "item 1 appears more than once"),
        (json.dumps(["P1"]), "must be a JSON object"),
        ("{not json", "is not valid JSON"),
    ],
)
def test_load_text_pack_errors(tmp_path: Path, content: str, message: str) -> None:
    with pytest.raises(TextPackError, match=message):
        load_text_pack(write_pack(tmp_path, content))


def test_load_text_pack_missing_file(tmp_path: Path) -> None:
    with pytest.raises(TextPackError, match="cannot read EPDS text pack"):
        load_text_pack(tmp_path / "absent.json")


# --- properties ---------------------------------------------------------------------------


@st.composite
def instrument_and_answers(draw: st.DrawFn) -> tuple[Instrument, list[int | None]]:
    instrument = draw(st.sampled_from(ALL))
    answers: list[int | None] = [draw(st.integers(0, item.max_score)) for item in instrument.items]
    return instrument, answers


@given(instrument_and_answers())
def test_total_within_range(case: tuple[Instrument, list[int | None]]) -> None:
    instrument, answers = case
    result = score(instrument, answers)
    assert result.total is not None
    assert 0 <= result.total <= instrument.max_total
    assert result.band is not None
    assert result.positive is not None


@given(instrument_and_answers(), st.data())
def test_total_never_falls_with_more_symptoms(case: tuple[Instrument, list[int | None]], data: st.DataObject) -> None:
    instrument, answers = case
    index = data.draw(st.integers(0, len(instrument.items) - 1))
    item = instrument.items[index]
    worse = list(answers)
    worse[index] = towards_more_symptoms(item, answers[index] or 0)
    before, after = score(instrument, answers), score(instrument, worse)
    assert before.total is not None
    assert after.total is not None
    assert after.total >= before.total
    assert after.item_scores[index] == min(item.max_score, (before.item_scores[index] or 0) + 1)


@given(instrument_and_answers(), st.data())
def test_missing_answer_never_guesses(case: tuple[Instrument, list[int | None]], data: st.DataObject) -> None:
    """No total or band for an incomplete screen; its result, when given, is the one every possible
    answer to the unanswered item would give, and it is undetermined only when they disagree."""
    instrument, answers = case
    index = data.draw(st.integers(0, len(instrument.items) - 1))
    answers[index] = None
    result = score(instrument, answers)
    assert result.total is None
    assert result.band is None
    assert result.missing_items == (index + 1,)
    completions = {
        score(instrument, [*answers[:index], option, *answers[index + 1 :]]).positive
        for option in range(instrument.items[index].options)
    }
    assert completions <= {True, False}
    assert {result.positive} == (completions if len(completions) == 1 else {None})
