"""Parameters and scenarios: every default has a unit and a source; bad files are refused with one line."""

from __future__ import annotations

import pytest

from pimh.workforce import model
from pimh.workforce.params import (
    SCENARIOS_DIR,
    ParameterError,
    load_parameters,
    load_scenario,
    parse_parameters,
    parse_scenario,
)

PARAMS = load_parameters()
BASE_TEXT = model.__file__.replace("model.py", "params/2026.1.toml")


def _text() -> str:
    with open(BASE_TEXT, encoding="utf-8") as handle:
        return handle.read()


def test_every_parameter_has_a_unit_and_a_source_and_defaults_from_the_design():
    assert PARAMS.version == "2026.1"
    assert all(p.unit.strip() and p.source.strip() for p in PARAMS.parameters.values())
    assert PARAMS["pimh.postnatal_prevalence"] == 0.15
    assert PARAMS["pimh.listening_visits"] == 6
    assert PARAMS["mandated.new_birth_visit.face_to_face"] == 90
    assert PARAMS["mandated.two_to_two_and_half_year.face_to_face"] == 75
    assert PARAMS["additional.face_to_face"] == 45
    assert PARAMS["productive.sickness"] == 0.054
    assert (PARAMS["mix.universal"], PARAMS["mix.universal_plus"], PARAMS["mix.universal_partnership_plus"]) == (
        0.91,
        0.06,
        0.03,
    )
    assert PARAMS["deprivation.weight_decile_1"] == 1.5


def test_contact_minutes_rates_and_prevalence_are_uncertain_by_twenty_percent():
    names = ["mandated.antenatal.face_to_face", "additional.universal_plus", "pimh.postnatal_prevalence"]
    for name in names:
        p = PARAMS.parameters[name]
        assert (p.low, p.high) == pytest.approx((0.8 * p.value, 1.2 * p.value))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('value = 0.15, unit = "share of births"', 'value = 1.5, unit = "share of births"'), "is a share"),
        (("value = 37.5,", "value = -37.5,"), "0 or more"),
        (("value = 90.0, unit", 'value = "ninety", unit'), "must be a number"),
        (("low = 72.0, high = 108.0", "low = 95.0, high = 108.0"), "low <= value <= high"),
        (("[safeguarding]\nhours_per_child_on_plan", "[safeguarding]\nhours_on_plan"), "missing parameter"),
        (('source = "365 / 7"', 'source = ""'), "needs a source"),
    ],
)
def test_a_bad_parameter_file_is_refused_with_the_parameter_named(change, message):
    old, new = change
    assert old in _text()
    with pytest.raises(ParameterError, match=message):
        parse_parameters(_text().replace(old, new, 1))


def test_an_unknown_version_is_refused():
    with pytest.raises(ParameterError, match=r"no parameter version '1999\.1'"):
        load_parameters("1999.1")


def test_productive_hours_that_vanish_are_refused():
    with pytest.raises(ParameterError, match="productive hours"):
        model.productive_hours(PARAMS.with_values({"productive.admin": 0.95}).values())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title = 'x'\n[set]\npimh.nonsense = 1", "unknown parameter 'pimh.nonsense'"),
        ("title = 'x'\n[set]\nmandated.antenatal.coverage = 1.4", "is a share"),
        ("title = 'x'\n[set]\nmandated.antenatal.coverage = 'all'", "must be a number"),
        ("[set]\nmandated.antenatal.coverage = 0.9", "needs a title"),
        ("title = 'x'", "changes nothing"),
        ("title = 'x'\n[set\n", "not valid TOML"),
    ],
)
def test_a_bad_scenario_is_refused(text, message):
    with pytest.raises(ParameterError, match=message):
        parse_scenario(text, name="bad", base=PARAMS)


def _total(params) -> float:
    areas = model.areas_from_totals(
        code="E1",
        births=600,
        children=3000,
        mix={"universal": 0.91, "universal_plus": 0.06, "universal_partnership_plus": 0.03},
        on_plan=30,
        mean_load=0.5,
        deprived=600,
    )
    return float(model.demand(areas, params.values()).wte.sum())


@pytest.mark.parametrize(
    ("file", "direction"),
    [
        ("switch_on_three_to_four_month.toml", 1),
        ("screen_every_father.toml", 1),
        ("antenatal_coverage_90.toml", 1),
        ("halve_universal_extra_contacts.toml", -1),
    ],
)
def test_the_four_example_scenarios_load_and_move_demand_the_right_way(file, direction):
    scenario = load_scenario(SCENARIOS_DIR / file, PARAMS)
    changed = scenario.apply(PARAMS)
    assert changed.scenario == scenario.name
    assert (_total(changed) - _total(PARAMS)) * direction > 0.05


def test_a_scenario_moves_the_uncertainty_range_with_the_value():
    changed = PARAMS.with_values({"additional.universal": 0.15})
    p = changed.parameters["additional.universal"]
    assert (p.low, p.value, p.high) == pytest.approx((0.12, 0.15, 0.18))


def test_a_mix_that_does_not_add_up_and_allowances_of_a_whole_contract_are_refused():
    with pytest.raises(ParameterError, match=r"mix shares must add up to 1, not 1\.01"):
        parse_parameters(
            _text().replace(
                "universal_plus             = { value = 0.06", "universal_plus             = { value = 0.07", 1
            )
        )
    with pytest.raises(ParameterError, match="must add up to less than 1"):
        parse_parameters(_text().replace("admin            = { value = 0.10", "admin            = { value = 0.90", 1))
