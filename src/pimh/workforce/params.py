"""Versioned parameters of the workforce demand model (pure: no Django).

A parameter file (``params/<version>.toml``) holds nested tables whose leaves are parameters written as
``{value, unit, source, low?, high?}``. They are flattened to dotted names (``mandated.antenatal.travel``).
A parameter with ``low`` and ``high`` is uncertain: triangular (low, value, high). A scenario file
overrides values by dotted name and says what it changes. Everything here is checked on load: a bad file
raises ``ParameterError`` with one line naming the parameter.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

PARAMS_DIR = Path(__file__).resolve().parent / "params"
SCENARIOS_DIR = Path(__file__).resolve().parent / "scenarios"
DEFAULT_VERSION = "2026.1"

Floats = npt.NDArray[np.float64]


class ParameterError(ValueError):
    """A parameter or scenario file that cannot be used (the message is one line)."""


@dataclass(frozen=True)
class Parameter:
    name: str
    value: float
    unit: str
    source: str
    low: float | None = None
    high: float | None = None

    @property
    def uncertain(self) -> bool:
        return self.low is not None and self.high is not None and self.low < self.high

    @property
    def is_share(self) -> bool:
        return "share" in self.unit

    def check(self) -> None:
        for label, number in (("value", self.value), ("low", self.low), ("high", self.high)):
            if number is None:
                continue
            if not np.isfinite(number) or number < 0:
                raise ParameterError(f"{self.name}: {label} must be a number of 0 or more, not {number!r}")
            if self.is_share and number > 1:
                raise ParameterError(f"{self.name}: {label} is a share and must be from 0 to 1, not {number!r}")
        if (self.low is None) != (self.high is None):
            raise ParameterError(f"{self.name}: give both low and high, or neither")
        if self.low is not None and self.high is not None and not self.low <= self.value <= self.high:
            raise ParameterError(
                f"{self.name}: needs low <= value <= high, not {self.low} <= {self.value} <= {self.high}"
            )


@dataclass(frozen=True)
class ParameterSet:
    version: str
    description: str
    parameters: Mapping[str, Parameter]
    in_post_roles: tuple[str, ...]
    scenario: str | None = None

    def __getitem__(self, name: str) -> float:
        return self.parameters[name].value

    def values(self) -> dict[str, float]:
        return {name: p.value for name, p in self.parameters.items()}

    def uncertain(self) -> list[Parameter]:
        return [p for p in self.parameters.values() if p.uncertain]

    def with_values(self, changes: Mapping[str, float], *, scenario: str | None = None) -> ParameterSet:
        """A copy with some values changed; the uncertainty range moves with the value (same relative width)."""
        updated = dict(self.parameters)
        for name, value in changes.items():
            if name not in updated:
                raise ParameterError(f"unknown parameter {name!r}")
            old = updated[name]
            low = high = None
            if old.low is not None and old.high is not None:
                scale = value / old.value if old.value else 1.0
                low, high = old.low * scale, old.high * scale
                if old.value == 0:
                    low, high = value, value
                if old.is_share:
                    low, high = min(low, 1.0), min(high, 1.0)
            new = replace(old, value=float(value), low=low, high=high)
            new.check()
            updated[name] = new
        return replace(self, parameters=updated, scenario=scenario if scenario is not None else self.scenario)

    def degenerate(self) -> ParameterSet:
        """The same values with no uncertainty (every distribution collapsed to its value)."""
        return replace(self, parameters={n: replace(p, low=None, high=None) for n, p in self.parameters.items()})

    def sample(self, draws: int, rng: np.random.Generator) -> dict[str, Floats]:
        """``draws`` values of every parameter, as arrays of shape (draws, 1) ready to broadcast over areas."""
        out: dict[str, Floats] = {}
        for name, p in self.parameters.items():
            if p.uncertain and p.low is not None and p.high is not None:
                column = rng.triangular(p.low, p.value, p.high, size=draws)
            else:
                column = np.full(draws, p.value)
            out[name] = column.astype(np.float64).reshape(draws, 1)
        return out


def flatten_parameters(table: Mapping[str, Any], prefix: str, into: dict[str, Parameter]) -> None:
    for key, item in table.items():
        name = f"{prefix}{key}"
        if not isinstance(item, dict):
            raise ParameterError(f"{name}: expected a table of parameters, not {item!r}")
        if "value" in item:
            unknown = set(item) - {"value", "unit", "source", "low", "high"}
            if unknown:
                raise ParameterError(f"{name}: unknown field(s) {', '.join(sorted(unknown))}")
            for field in ("unit", "source"):
                if not isinstance(item.get(field), str) or not item[field].strip():
                    raise ParameterError(f"{name}: every parameter needs a {field}")
            numbers = {}
            for field in ("value", "low", "high"):
                raw = item.get(field)
                if raw is not None and (isinstance(raw, bool) or not isinstance(raw, int | float)):
                    raise ParameterError(f"{name}: {field} must be a number, not {raw!r}")
                numbers[field] = None if raw is None else float(raw)
            value = numbers["value"]
            assert value is not None
            parameter = Parameter(name, value, item["unit"], item["source"], numbers["low"], numbers["high"])
            parameter.check()
            into[name] = parameter
        else:
            flatten_parameters(item, f"{name}.", into)


def parse_parameters(text: str, *, origin: str = "parameters") -> ParameterSet:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ParameterError(f"{origin}: not valid TOML ({error})") from None
    version = data.pop("version", None)
    description = data.pop("description", "")
    roles = data.pop("in_post_roles", [])
    if not isinstance(version, str) or not version:
        raise ParameterError(f"{origin}: needs a version string")
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        raise ParameterError(f"{origin}: in_post_roles must be a list of role codes")
    parameters: dict[str, Parameter] = {}
    flatten_parameters(data, "", parameters)
    missing = sorted(REQUIRED - set(parameters))
    if missing:
        raise ParameterError(f"{origin}: missing parameter(s) {', '.join(missing)}")
    mix = sum(parameters[f"mix.{level}"].value for level in LEVELS)
    if abs(mix - 1.0) > 1e-6:
        raise ParameterError(f"{origin}: the mix shares must add up to 1, not {mix:g}")
    allowances = sum(parameters[f"productive.{x}"].value for x in ("sickness", "training", "supervision", "admin"))
    if allowances >= 1:
        raise ParameterError(f"{origin}: sickness, training, supervision and admin must add up to less than 1")
    return ParameterSet(version, str(description), parameters, tuple(roles))


def load_parameters(version: str = DEFAULT_VERSION) -> ParameterSet:
    path = PARAMS_DIR / f"{version}.toml"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in PARAMS_DIR.glob("*.toml")))
        raise ParameterError(f"no parameter version {version!r} (known: {known})")
    return parse_parameters(path.read_text(encoding="utf-8"), origin=path.name)


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    changes: Mapping[str, float]

    def apply(self, base: ParameterSet) -> ParameterSet:
        return base.with_values(self.changes, scenario=self.name)


def _flat_values(table: Mapping[str, Any], prefix: str, into: dict[str, float]) -> None:
    for key, item in table.items():
        name = f"{prefix}{key}"
        if isinstance(item, dict):
            _flat_values(item, f"{name}.", into)
        elif isinstance(item, bool) or not isinstance(item, int | float):
            raise ParameterError(f"scenario: {name} must be a number, not {item!r}")
        else:
            into[name] = float(item)


def parse_scenario(text: str, *, name: str, base: ParameterSet) -> Scenario:
    """A scenario: ``title = "..."`` and a ``[set]`` table of dotted parameter names and new values."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ParameterError(f"scenario {name}: not valid TOML ({error})") from None
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise ParameterError(f"scenario {name}: needs a title")
    unknown = set(data) - {"title", "set"}
    if unknown:
        raise ParameterError(f"scenario {name}: unknown key(s) {', '.join(sorted(unknown))}")
    changes: dict[str, float] = {}
    _flat_values(data.get("set", {}), "", changes)
    if not changes:
        raise ParameterError(f"scenario {name}: the [set] table changes nothing")
    scenario = Scenario(name, title.strip(), changes)
    scenario.apply(base)  # validates names and values now
    return scenario


def load_scenario(path: Path, base: ParameterSet) -> Scenario:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ParameterError(f"cannot read scenario {path}: {error.strerror}") from None
    return parse_scenario(text, name=path.stem, base=base)


CONTACTS = (
    "antenatal",
    "new_birth_visit",
    "six_to_eight_week",
    "three_to_four_month",
    "twelve_month",
    "two_to_two_and_half_year",
)
LEVELS = ("universal", "universal_plus", "universal_partnership_plus")
WAIT_PARAMETERS = (
    "assessment_slots_per_wte",
    "assessment_weeks",
    "treatment_share",
    "caseload_per_wte",
    "treatment_weeks",
    "assessment_standard_weeks",
    "treatment_standard_weeks",
    "target_share",
)

REQUIRED = frozenset(
    [f"mandated.{k}.{f}" for k in CONTACTS for f in ("coverage", "hv_share", "face_to_face", "documentation", "travel")]
    + [f"additional.{x}" for x in (*LEVELS, "face_to_face", "documentation", "travel")]
    + [f"mix.{level}" for level in LEVELS]
    + [
        f"pimh.{x}"
        for x in (
            "screens_per_parent",
            "screen_minutes",
            "postnatal_prevalence",
            "assessment_minutes",
            "listening_visits",
            "listening_visit_minutes",
            "partners_screened",
            "partner_prevalence",
        )
    ]
    + ["safeguarding.hours_per_child_on_plan"]
    + [f"waits.{x}" for x in WAIT_PARAMETERS]
    + [f"deprivation.{x}" for x in ("weight_decile_1", "weight_decile_10", "weight_unknown")]
    + [
        f"productive.{x}"
        for x in (
            "weekly_hours",
            "weeks_per_year",
            "hours_per_day",
            "annual_leave",
            "bank_holidays",
            "sickness",
            "training",
            "supervision",
            "admin",
        )
    ]
)
