"""The configured set of screening cut-offs and pathway numbers (pure Python, no Django).

One versioned set per deployment (``SCREENING_THRESHOLDS_FILE``, see docs/configuration.md); its
version is stored with every result. Positive cut-offs are "total >= value" (Whooley: the number of
"yes" answers). A father or partner has his or her own cut-offs where they differ from the mother's
(EPDS 10 by default, the top of the 7-10 range of validation studies in fathers: project data standards
notes section 6; Edmondson et al. 2010; a 2022 meta-analysis of the EPDS in fathers).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Protocol

Band = tuple[int, str]
"""A band: (lowest total in the band, label). Bands are listed in ascending order."""

CODES = ("whooley", "gad2", "phq2", "epds", "phq9", "gad7")
SCREENS = frozenset({"whooley", "gad2", "phq2"})  # bands are just negative/positive
PARTNER_ROLES = frozenset({"father", "partner"})
MOTHER_ROLES = frozenset({"mother", "birthing_parent"})


class ThresholdsError(ValueError):
    """A thresholds file or value is unreadable, incomplete or out of range."""


class _Scored(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def bands(self) -> tuple[Band, ...]: ...
    @property
    def positive_threshold(self) -> int: ...


def _pairs(value: object, what: str) -> tuple[tuple[str, int], ...]:
    if not isinstance(value, Mapping):
        raise ThresholdsError(f"{what} must be an object of instrument code to whole number")
    pairs = []
    for code, number in value.items():
        if code not in CODES:
            raise ThresholdsError(f"{what}: unknown instrument {code!r}; valid codes: {', '.join(CODES)}")
        if isinstance(number, bool) or not isinstance(number, int) or number < 0:
            raise ThresholdsError(f"{what}: {code} must be a whole number of 0 or more, not {number!r}")
        pairs.append((str(code), number))
    return tuple(pairs)


@dataclass(frozen=True)
class Thresholds:
    """Configurable cut-offs; ``version`` is stored in every result.

    ``whooley``..``gad7`` are the mother's positive cut-offs. ``partner`` replaces any of them for a
    father or partner; ``severe`` gives the "severe" cut-off of a full assessment (the pathway then
    suggests an urgent referral). ``band_overrides`` optionally replaces an instrument's bands, e.g.
    ``(("epds", ((0, "unlikely"), (10, "possible depression"), (14, "probable depression"))),)``.
    ``listening_visits`` is the length of a course offered after a positive full assessment, and
    ``rescreen_from_days``/``rescreen_by_days`` the window for the re-screen that follows it.
    """

    version: str = "default-2"
    whooley: int = 1
    gad2: int = 3
    phq2: int = 3
    epds: int = 13
    phq9: int = 10
    gad7: int = 10
    partner: tuple[tuple[str, int], ...] = (("epds", 10),)
    severe: tuple[tuple[str, int], ...] = (("epds", 20), ("phq9", 20))
    band_overrides: tuple[tuple[str, tuple[Band, ...]], ...] = ()
    listening_visits: int = 6
    rescreen_from_days: int = 14
    rescreen_by_days: int = 28

    def __post_init__(self) -> None:
        if not self.version.strip() or len(self.version) > 40:
            raise ThresholdsError("the thresholds version must be 1 to 40 characters")
        for code in CODES:
            if getattr(self, code) < 0:
                raise ThresholdsError(f"threshold for {code} must not be negative")
        _pairs(dict(self.partner), "partner")
        _pairs(dict(self.severe), "severe")
        for code, bands in self.band_overrides:
            lows = [low for low, _ in bands]
            if code not in CODES or not lows or lows[0] != 0 or lows != sorted(set(lows)):
                raise ThresholdsError(f"band override for {code!r}: bands must start at 0 and rise strictly")
        if self.listening_visits < 1:
            raise ThresholdsError("listening_visits must be at least 1")
        if not 0 <= self.rescreen_from_days <= self.rescreen_by_days:
            raise ThresholdsError("rescreen_from_days must be 0 or more and not after rescreen_by_days")

    def positive_for(self, code: str) -> int:
        if code not in CODES:
            raise KeyError(f"no threshold for {code!r}; valid codes: {', '.join(sorted(CODES))}")
        value: int = getattr(self, code)
        return value

    def severe_for(self, code: str) -> int | None:
        """The severe cut-off of a full assessment, or None if the instrument has none configured."""
        return dict(self.severe).get(code)

    def for_role(self, role: str) -> Thresholds:
        """The cut-offs that apply to a parent: a father's or partner's replace the mother's where set."""
        if role in PARTNER_ROLES:
            own: dict[str, object] = dict(self.partner)
            return replace(self, partner=(), **own)  # type: ignore[arg-type]
        if role in MOTHER_ROLES:
            return replace(self, partner=())
        raise ThresholdsError(f"no cut-offs for role {role!r}; choose mother, father or partner")

    def bands_for(self, instrument: _Scored) -> tuple[Band, ...]:
        """Override if given; otherwise the band that starts at the instrument's default cut-off moves
        to the configured cut-off, so a label is never "positive" below the cut-off or "negative" at it."""
        overrides = dict(self.band_overrides)
        if instrument.code in overrides:
            return overrides[instrument.code]
        cutoff = self.positive_for(instrument.code)
        if instrument.code in SCREENS:
            return ((0, "negative"), (cutoff, "positive"))
        default = instrument.positive_threshold
        label = dict(instrument.bands)[default]
        below = tuple(band for band in instrument.bands if band[0] < min(cutoff, default))
        above = tuple(band for band in instrument.bands if band[0] > max(cutoff, default))
        return (*below, (cutoff, label), *above)


DEFAULT_THRESHOLDS = Thresholds()

_NUMBERS = ("listening_visits", "rescreen_from_days", "rescreen_by_days")
_KEYS = frozenset({"version", "cutoffs", "father_or_partner", "severe", *_NUMBERS})


def from_mapping(data: object) -> Thresholds:
    """Build a set from a parsed JSON object; unknown keys and bad values are errors, missing ones default."""
    if not isinstance(data, Mapping):
        raise ThresholdsError("the thresholds must be a JSON object")
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise ThresholdsError(f"unknown thresholds keys {unknown}; valid keys: {', '.join(sorted(_KEYS))}")
    version = data.get("version")
    if not isinstance(version, str):
        raise ThresholdsError('the thresholds need a "version" (text, stored with every result)')
    options: dict[str, object] = {"version": version}
    options.update(_pairs(data.get("cutoffs", {}), "cutoffs"))
    if "father_or_partner" in data:
        options["partner"] = _pairs(data["father_or_partner"], "father_or_partner")
    if "severe" in data:
        options["severe"] = _pairs(data["severe"], "severe")
    for name in _NUMBERS:
        if name in data:
            value = data[name]
            if isinstance(value, bool) or not isinstance(value, int):
                raise ThresholdsError(f"{name} must be a whole number, not {value!r}")
            options[name] = value
    names = {f.name for f in fields(Thresholds)}
    assert set(options) <= names
    return Thresholds(**options)  # type: ignore[arg-type]


def load(path: str | Path) -> Thresholds:
    """Read a thresholds JSON file (see docs/configuration.md)."""
    p = Path(path)
    try:
        data: object = json.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ThresholdsError(f"cannot read thresholds file {p}: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise ThresholdsError(f"thresholds file {p} is not valid JSON: {exc}") from exc
    try:
        return from_mapping(data)
    except ThresholdsError as exc:
        raise ThresholdsError(f"thresholds file {p}: {exc}") from None
