"""Screening instrument definitions and scoring (pure Python, no Django).

Instruments are immutable, versioned data. ``score`` turns the positions of
the chosen options (0 = first option on the official form) into item scores,
a total, a band, a positive/negative screen and a risk-item flag.

Licences (PIMH domain notes, section 3):
- PHQ-2, PHQ-9, GAD-2, GAD-7 are public domain; their item text ships here.
- Whooley questions are printed in NICE guidance (CG192) and are shown with
  attribution.
- EPDS is copyright of the Royal College of Psychiatrists. Its item text is
  NOT stored in this repository: only item numbers, the number of options
  and the scoring direction. A deploying organisation may supply a text pack
  under its own licence (see ``load_text_pack``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pimh.screening.thresholds import DEFAULT_THRESHOLDS, Band, Thresholds, ThresholdsError

__all__ = ["DEFAULT_THRESHOLDS", "Band", "Thresholds", "ThresholdsError"]


class ScoringError(ValueError):
    """Answers do not fit the instrument (wrong count, out of range, wrong type)."""


class TextPackError(ValueError):
    """An EPDS text pack file is unreadable or incomplete."""


@dataclass(frozen=True)
class Item:
    number: int
    text: str | None
    options: int = 4
    reverse_scored: bool = False

    @property
    def max_score(self) -> int:
        return self.options - 1

    def score(self, position: int) -> int:
        return self.max_score - position if self.reverse_scored else position


@dataclass(frozen=True)
class Instrument:
    code: str
    name: str
    version: str
    recall_period: str
    items: tuple[Item, ...]
    option_labels: tuple[str, ...] | None
    bands: tuple[Band, ...]
    positive_threshold: int
    risk_item: int | None
    snomed_code: str | None
    snomed_verified: bool
    loinc_code: str | None
    source: str
    licence: str
    stem: str | None = None

    @property
    def max_total(self) -> int:
        return sum(item.max_score for item in self.items)

    @property
    def short_name(self) -> str:
        """The abbreviation in brackets at the end of the name ("PHQ-9"), else the whole name."""
        return self.name.rsplit("(", 1)[1].rstrip(")") if self.name.endswith(")") else self.name


@dataclass(frozen=True)
class Result:
    instrument: str
    version: str
    item_scores: tuple[int | None, ...]
    total: int | None
    missing_items: tuple[int, ...]
    band: str | None
    positive: bool | None
    risk_item_flag: bool | None
    """True/False once the risk item is answered; False for instruments
    without a risk item; None only if the risk item itself is unanswered."""
    thresholds_version: str
    total_at_least: int = 0
    """The sum of the answered items (the total itself when complete)."""
    cutoff: int = 0
    """The positive cut-off applied (the parent's own: a father's or partner's may differ)."""
    severe: bool | None = False
    """At or above the configured severe cut-off (False if none); None while undetermined."""

    @property
    def complete(self) -> bool:
        return not self.missing_items

    @property
    def outcome(self) -> str:
        """ "positive", "negative" or "undetermined" (an incomplete screen that could still go either way)."""
        return {True: "positive", False: "negative", None: "undetermined"}[self.positive]


FREQUENCY_LABELS = ("Not at all", "Several days", "More than half the days", "Nearly every day")
YES_NO_LABELS = ("No", "Yes")
SCREEN_BANDS: tuple[Band, ...] = ((0, "negative"), (3, "positive"))
PHQ_STEM = "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
GAD_STEM = "Over the last 2 weeks, how often have you been bothered by the following problems?"

PHQ9_TEXT = (
    "Little interest or pleasure in doing things",
    "Feeling down, depressed, or hopeless",
    "Trouble falling or staying asleep, or sleeping too much",
    "Feeling tired or having little energy",
    "Poor appetite or overeating",
    "Feeling bad about yourself — or that you are a failure or have let yourself or your family down",
    "Trouble concentrating on things, such as reading the newspaper or watching television",
    (
        "Moving or speaking so slowly that other people could have noticed? Or the opposite — "
        "being so fidgety or restless that you have been moving around a lot more than usual"
    ),
    "Thoughts that you would be better off dead or of hurting yourself in some way",
)
GAD7_TEXT = (
    "Feeling nervous, anxious or on edge",
    "Not being able to stop or control worrying",
    "Worrying too much about different things",
    "Trouble relaxing",
    "Being so restless that it is hard to sit still",
    "Becoming easily annoyed or irritable",
    "Feeling afraid as if something awful might happen",
)
WHOOLEY_TEXT = (
    "During the past month, have you often been bothered by feeling down, depressed or hopeless?",
    "During the past month, have you often been bothered by having little interest or pleasure in doing things?",
)
WHOOLEY_HELP_QUESTION = "Is this something you feel you need or want help with?"
"""Optional, unscored follow-up to a positive Whooley screen; off by default."""
WHOOLEY_HELP_QUESTION_DEFAULT = False

EPDS_REVERSE_SCORED = frozenset({3, 5, 6, 7, 8, 9, 10})
EPDS_ITEM_COUNT = 10

_PD = "Public domain (developed by Drs Spitzer, Williams, Kroenke et al. with an educational grant from Pfizer); no permission required."
_PHQ_SOURCE = "Kroenke K, Spitzer RL, Williams JBW. PHQ-9 (2001) / PHQ-2 (2003). phqscreeners.com"
_GAD_SOURCE = (
    "Spitzer RL, Kroenke K, Williams JBW, Löwe B. GAD-7 (2006); GAD-2: Kroenke et al. (2007). phqscreeners.com"
)


def _items(texts: Sequence[str], options: int = 4) -> tuple[Item, ...]:
    return tuple(Item(number=n, text=t, options=options) for n, t in enumerate(texts, start=1))


WHOOLEY = Instrument(
    code="whooley",
    name="Whooley questions",
    version="1",
    recall_period="past month",
    items=_items(WHOOLEY_TEXT, options=2),
    option_labels=YES_NO_LABELS,
    bands=((0, "negative"), (1, "positive")),
    positive_threshold=1,
    risk_item=None,
    snomed_code="803351000000106",
    snomed_verified=True,
    loinc_code=None,
    source="Whooley MA et al. J Gen Intern Med 1997; questions as printed in NICE CG192.",
    licence="Shown with attribution to NICE CG192 (Whooley et al. 1997).",
)
GAD2 = Instrument(
    code="gad2",
    name="Generalized Anxiety Disorder 2-item (GAD-2)",
    version="1",
    recall_period="past 2 weeks",
    items=_items(GAD7_TEXT[:2]),
    option_labels=FREQUENCY_LABELS,
    bands=SCREEN_BANDS,
    positive_threshold=3,
    risk_item=None,
    # SNOMED CT code for the GAD-2 score is unverified (domain doc section 3).
    snomed_code="836571000000106",
    snomed_verified=False,
    loinc_code=None,
    source=_GAD_SOURCE,
    licence=_PD,
    stem=GAD_STEM,
)
PHQ2 = Instrument(
    code="phq2",
    name="Patient Health Questionnaire 2-item (PHQ-2)",
    version="1",
    recall_period="past 2 weeks",
    items=_items(PHQ9_TEXT[:2]),
    option_labels=FREQUENCY_LABELS,
    bands=SCREEN_BANDS,
    positive_threshold=3,
    risk_item=None,
    snomed_code="836541000000100",
    snomed_verified=True,
    loinc_code=None,
    source=_PHQ_SOURCE,
    licence=_PD,
    stem=PHQ_STEM,
)
EPDS = Instrument(
    code="epds",
    name="Edinburgh Postnatal Depression Scale (EPDS)",
    version="1",
    recall_period="past 7 days",
    items=tuple(
        Item(number=n, text=None, options=4, reverse_scored=n in EPDS_REVERSE_SCORED)
        for n in range(1, EPDS_ITEM_COUNT + 1)
    ),
    option_labels=None,
    bands=((0, "unlikely"), (10, "possible depression"), (13, "probable depression")),
    positive_threshold=13,
    risk_item=10,
    snomed_code="450320001",
    snomed_verified=True,
    loinc_code=None,
    source="Cox JL, Holden JM, Sagovsky R. Br J Psychiatry 1987;150:782-6.",
    licence=(
        "© Royal College of Psychiatrists. Item text is not distributed with this product; "
        "a deploying organisation may supply a licensed text pack."
    ),
)
PHQ9 = Instrument(
    code="phq9",
    name="Patient Health Questionnaire 9-item (PHQ-9)",
    version="1",
    recall_period="past 2 weeks",
    items=_items(PHQ9_TEXT),
    option_labels=FREQUENCY_LABELS,
    bands=((0, "minimal"), (5, "mild"), (10, "moderate"), (15, "moderately severe"), (20, "severe")),
    positive_threshold=10,
    risk_item=9,
    snomed_code="720433000",
    snomed_verified=True,
    loinc_code="44261-6",
    source=_PHQ_SOURCE,
    licence=_PD,
    stem=PHQ_STEM,
)
GAD7 = Instrument(
    code="gad7",
    name="Generalized Anxiety Disorder 7-item (GAD-7)",
    version="1",
    recall_period="past 2 weeks",
    items=_items(GAD7_TEXT),
    option_labels=FREQUENCY_LABELS,
    bands=((0, "minimal"), (5, "mild"), (10, "moderate"), (15, "severe")),
    positive_threshold=10,
    risk_item=None,
    snomed_code="445455005",
    snomed_verified=True,
    loinc_code="70274-6",
    source=_GAD_SOURCE,
    licence=_PD,
    stem=GAD_STEM,
)

REGISTRY: dict[str, Instrument] = {i.code: i for i in (WHOOLEY, GAD2, PHQ2, EPDS, PHQ9, GAD7)}


def get(code: str) -> Instrument:
    """Return the instrument for ``code``; KeyError naming the valid codes otherwise."""
    try:
        return REGISTRY[code]
    except KeyError:
        valid = ", ".join(sorted(REGISTRY))
        raise KeyError(f"unknown instrument {code!r}; valid codes: {valid}") from None


def _band(total: int, bands: tuple[Band, ...]) -> str:
    return next(label for low, label in reversed(bands) if total >= low)


def _validate(instrument: Instrument, answers: Sequence[int | None]) -> None:
    code = instrument.code
    if len(answers) != len(instrument.items):
        raise ScoringError(f"{code} expects {len(instrument.items)} answers, got {len(answers)}")
    for item, answer in zip(instrument.items, answers, strict=True):
        if answer is None:
            continue
        if isinstance(answer, bool) or not isinstance(answer, int):
            raise ScoringError(f"item {item.number} of {code}: {answer!r} is not an option position")
        if not 0 <= answer <= item.max_score:
            raise ScoringError(f"item {item.number} of {code}: {answer} is out of range 0-{item.max_score}")


def determine(answered_sum: int, unanswered_max: int, cutoff: int) -> bool | None:
    """Positive if the answered items alone reach the cut-off; negative if even the highest score on
    every unanswered item could not reach it; otherwise undetermined (None). Never a guessed total."""
    if answered_sum >= cutoff:
        return True
    if answered_sum + unanswered_max < cutoff:
        return False
    return None


def score(
    instrument: Instrument,
    answers: Sequence[int | None],
    *,
    thresholds: Thresholds | None = None,
    role: str = "mother",
) -> Result:
    """Score ``answers`` (option positions, 0 = first option; None = unanswered) for a parent in ``role``
    (mother, father or partner: a father's or partner's cut-offs may differ).

    An incomplete questionnaire has no total or band (never guessed), but its result is given when it
    is already determined (see ``determine``), and the risk item is still flagged if it was answered.
    """
    _validate(instrument, answers)
    th = (thresholds or DEFAULT_THRESHOLDS).for_role(role)
    item_scores = tuple(
        None if answer is None else item.score(answer) for item, answer in zip(instrument.items, answers, strict=True)
    )
    missing = tuple(item.number for item, s in zip(instrument.items, item_scores, strict=True) if s is None)

    risk_flag: bool | None = False
    if instrument.risk_item is not None:
        risk_score = item_scores[instrument.risk_item - 1]
        risk_flag = None if risk_score is None else risk_score > 0

    answered = sum(s for s in item_scores if s is not None)
    unanswered_max = sum(item.max_score for item, s in zip(instrument.items, item_scores, strict=True) if s is None)
    total = None if missing else answered
    cutoff = th.positive_for(instrument.code)
    severe_cutoff = th.severe_for(instrument.code)
    severe = False if severe_cutoff is None else determine(answered, unanswered_max, severe_cutoff)
    band = None if total is None else _band(total, th.bands_for(instrument))

    return Result(
        instrument=instrument.code,
        version=instrument.version,
        item_scores=item_scores,
        total=total,
        missing_items=missing,
        band=band,
        positive=determine(answered, unanswered_max, cutoff),
        risk_item_flag=risk_flag,
        thresholds_version=th.version,
        total_at_least=answered,
        cutoff=cutoff,
        severe=severe,
    )


def load_text_pack(path: str | Path) -> dict[int, str]:
    """Load an organisation-supplied EPDS text pack: JSON object {"1": "...", ..., "10": "..."}.

    The pack is licensed by the deploying organisation and must never be
    committed to this repository.
    """
    p = Path(path)
    try:
        raw: object = json.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise TextPackError(f"cannot read EPDS text pack {p}: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise TextPackError(f"EPDS text pack {p} is not valid JSON: {exc}") from exc
    if not isinstance(raw, dict):
        raise TextPackError(f"EPDS text pack {p} must be a JSON object mapping item number to text")
    pack: dict[int, str] = {}
    for key, value in raw.items():
        try:
            number = int(key)
        except (TypeError, ValueError):
            raise TextPackError(f"EPDS text pack {p}: key {key!r} is not an item number") from None
        if number in pack:
            raise TextPackError(f"EPDS text pack {p}: item {number} appears more than once")
        if not isinstance(value, str) or not value.strip():
            raise TextPackError(f"EPDS text pack {p}: item {number} text must be a non-empty string")
        pack[number] = value
    expected = set(range(1, EPDS_ITEM_COUNT + 1))
    if set(pack) != expected:
        missing, extra = sorted(expected - set(pack)), sorted(set(pack) - expected)
        raise TextPackError(f"EPDS text pack {p} must have items 1-10; missing {missing}, unexpected {extra}")
    return pack


def describe(instrument: Instrument, thresholds: Thresholds | None = None) -> dict[str, object]:
    """A plain summary of an instrument for listings (e.g. ``pimh instruments``)."""
    th = thresholds or DEFAULT_THRESHOLDS
    return {
        "code": instrument.code,
        "name": instrument.name,
        "version": instrument.version,
        "recall_period": instrument.recall_period,
        "items": len(instrument.items),
        "max_total": instrument.max_total,
        "positive_threshold": th.positive_for(instrument.code),
        "father_or_partner_threshold": th.for_role("father").positive_for(instrument.code),
        "severe_threshold": th.severe_for(instrument.code),
        "thresholds_version": th.version,
        "bands": [{"from": low, "label": label} for low, label in th.bands_for(instrument)],
        "risk_item": instrument.risk_item,
        "snomed_code": instrument.snomed_code,
        "snomed_verified": instrument.snomed_verified,
        "loinc_code": instrument.loinc_code,
        "source": instrument.source,
        "licence": instrument.licence,
    }
