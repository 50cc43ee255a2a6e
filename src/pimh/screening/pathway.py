"""Pathway rules as versioned data (domain section 4; NICE CG192 / QS115 / QS37). Pure Python, no Django.

The product suggests; the clinician decides (accept, or override with a reason).
Each rule has an id and a version that are stored with every suggestion it makes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pimh.screening.instruments import Result

RULES_VERSION = "pathway-1"


@dataclass(frozen=True)
class RuleSuggestion:
    rule_id: str
    rule_version: str
    kind: str  # a contacts TaskKind value
    text: str
    due_within_days: int
    urgent: bool = False


@dataclass(frozen=True)
class Rule:
    rule_id: str
    version: str
    kind: str
    text: str
    due_within_days: int
    urgent: bool
    applies: Callable[[Result, bool], bool]
    description: str

    def suggestion(self) -> RuleSuggestion:
        return RuleSuggestion(self.rule_id, self.version, self.kind, self.text, self.due_within_days, self.urgent)


FULL_ASSESSMENT_TEXT = (
    "Offer a full assessment (EPDS or PHQ-9, and GAD-7) at this contact or within 14 days, "
    "or refer to the GP or mental health service if a severe problem is suspected"
)
URGENT_TEXT = "Urgent: same-day action for a self-harm item scored above 0"
RELATIONSHIP_TEXT = "Follow up the parent-infant relationship"

_SCREENING_TOOLS = frozenset({"whooley", "gad2", "phq2"})


def _needs_full_assessment(result: Result, concern: bool) -> bool:
    if concern:
        return True
    if result.instrument == "whooley" and result.positive:
        return True
    if result.instrument == "gad2" and result.total is not None and result.total >= 3:
        return True
    return result.instrument == "phq2" and bool(result.positive)


def _risk_item(result: Result, concern: bool) -> bool:
    return bool(result.risk_item_flag)


RULES: tuple[Rule, ...] = (
    Rule(
        rule_id="full-assessment",
        version="1",
        kind="full_assessment",
        text=FULL_ASSESSMENT_TEXT,
        due_within_days=14,
        urgent=False,
        applies=_needs_full_assessment,
        description="Whooley positive, GAD-2 >= 3 (or PHQ-2 positive), or clinical concern (CG192)",
    ),
    Rule(
        rule_id="risk-item",
        version="1",
        kind="urgent_action",
        text=URGENT_TEXT,
        due_within_days=0,
        urgent=True,
        applies=_risk_item,
        description="EPDS item 10 > 0 or PHQ-9 item 9 > 0: same-day urgent action",
    ),
)

RELATIONSHIP_RULE = Rule(
    rule_id="relationship-concern",
    version="1",
    kind="relationship_follow_up",
    text=RELATIONSHIP_TEXT,
    due_within_days=14,
    urgent=False,
    applies=lambda result, concern: concern,
    description="Some or significant concern about the parent-infant relationship (QS37 st.9)",
)


def suggestions_for(result: Result, *, concern: bool = False) -> list[RuleSuggestion]:
    """The suggestions the rules make for one scored screen (and any clinical concern)."""
    return [rule.suggestion() for rule in RULES if rule.applies(result, concern)]


def relationship_suggestions(judgement: str) -> list[RuleSuggestion]:
    """A follow-up for any concern about the parent-infant relationship."""
    concern = judgement in {"some_concern", "significant_concern"}
    return [RELATIONSHIP_RULE.suggestion()] if concern else []
