"""Pathway rules as versioned data (domain section 4; NICE CG192 / QS115 / QS37). Pure Python, no Django.

The product suggests; the clinician decides (accept, or override with a reason).
Each rule has an id and a version that are stored with every suggestion it makes.
No cut-off lives here: a result is positive, negative, undetermined or severe by the configured
thresholds (``thresholds.py``) it was scored with; the pathway reads those results and the configured
numbers (course of listening visits, re-screen window).

A suggestion's ``action`` says what the service does with it:

- ``suggest``: stored for the practitioner to accept (creates a task, or for a referral opens the
  referral form pre-filled) or override with a reason;
- ``task``: a task is raised at once (completing an incomplete questionnaire, asking an unanswered
  self-harm item the same day);
- ``flag``: an urgent flag and a same-day urgent task (self-harm item scored above 0).
"""

from __future__ import annotations

from dataclasses import dataclass

from pimh.screening import instruments
from pimh.screening.instruments import Result
from pimh.screening.thresholds import DEFAULT_THRESHOLDS, Thresholds

RULES_VERSION = "pathway-2"
SCREENING_TOOLS = frozenset({"whooley", "gad2", "phq2"})
FULL_ASSESSMENTS = frozenset({"epds", "phq9", "gad7"})
REFERRAL = "referral"  # a suggestion kind that is not a task: it leads to the referral form
REFERRAL_REASONS = {"epds": "depression", "phq9": "depression", "gad7": "anxiety"}
# The contacts at which each parent present is asked about their mental health (domain section 4;
# NICE CG192 1.5.3 and the Healthy Child Programme): after recording one, the product prompts for it.
SCREENING_CONTACTS = frozenset({"antenatal", "new_birth_visit", "six_to_eight_week", "twelve_month"})
# The questionnaire the prompt opens for each parent: the Whooley questions (NICE CG192 1.5.4).
CONTACT_SCREENING_TOOL = "whooley"


def screening_offered(contact_type: str) -> bool:
    """Whether a contact of this type is one at which the parents present are offered screening."""
    return contact_type in SCREENING_CONTACTS


def full_assessment_choices(kind: str) -> list[str]:
    """The questionnaires a practitioner may go straight on to when accepting a suggestion of this
    kind: a full assessment (EPDS, PHQ-9 or GAD-7); none for any other kind."""
    return sorted(FULL_ASSESSMENTS) if kind == "full_assessment" else []


COMPLETE_WITHIN_DAYS = 7


@dataclass(frozen=True)
class RuleSuggestion:
    rule_id: str
    rule_version: str
    kind: str  # a contacts TaskKind value, or REFERRAL
    text: str
    due_within_days: int
    urgent: bool = False
    action: str = "suggest"  # "suggest", "task" or "flag"
    due_from_days: int = 0
    referral_reason: str = ""  # a referrals ReasonCode value
    referral_urgency: str = ""  # a referrals Urgency value


@dataclass(frozen=True)
class RuleInfo:
    rule_id: str
    version: str
    description: str


RULES: tuple[RuleInfo, ...] = (
    RuleInfo("full-assessment", "2", "Whooley, GAD-2 or PHQ-2 positive by the configured cut-off, or clinical concern"),
    RuleInfo("risk-item", "1", "EPDS item 10 > 0 or PHQ-9 item 9 > 0: urgent flag, same-day urgent action"),
    RuleInfo("risk-item-unanswered", "1", "EPDS item 10 or PHQ-9 item 9 not answered: ask it today"),
    RuleInfo("complete-screen", "1", "Incomplete questionnaire whose result is undetermined: complete it"),
    RuleInfo("listening-visits", "1", "Positive full assessment (not severe): offer a course of listening visits"),
    RuleInfo("refer", "1", "Positive full assessment (not severe): or refer, by severity"),
    RuleInfo("rescreen", "1", "Positive full assessment (not severe): re-screen within the configured window"),
    RuleInfo("severe-referral", "1", "Severe full assessment by the configured cut-off: urgent referral"),
)
_VERSIONS = {rule.rule_id: rule.version for rule in RULES}

FULL_ASSESSMENT_TEXT = (
    "Offer a full assessment (EPDS or PHQ-9, and GAD-7) at this contact or within 14 days, "
    "or refer to the GP or mental health service if a severe problem is suspected"
)
URGENT_TEXT = "Urgent: same-day action for a self-harm item scored above 0"
RELATIONSHIP_TEXT = "Follow up the parent-infant relationship"


def _make(rule_id: str, kind: str, text: str, due_within_days: int, **extra: object) -> RuleSuggestion:
    return RuleSuggestion(rule_id, _VERSIONS[rule_id], kind, text, due_within_days, **extra)  # type: ignore[arg-type]


def _unanswered(result: Result) -> list[RuleSuggestion]:
    spec = instruments.get(result.instrument)
    if result.risk_item_flag is None:
        text = f"Ask the self-harm question ({spec.name}, item {spec.risk_item}) today: it was not answered"
        if result.positive is None:
            text += "; complete the questionnaire"
        return [_make("risk-item-unanswered", "complete_screen", text, 0, urgent=True, action="task")]
    if result.positive is None:
        missing = ", ".join(str(n) for n in result.missing_items)
        text = f"Complete the {spec.name}: the result is undetermined (items {missing} not answered)"
        return [_make("complete-screen", "complete_screen", text, COMPLETE_WITHIN_DAYS, action="task")]
    return []


def _next_steps(result: Result, th: Thresholds) -> list[RuleSuggestion]:
    if result.instrument not in FULL_ASSESSMENTS or not result.positive:
        return []
    reason = REFERRAL_REASONS[result.instrument]
    level = result.band or f"positive, total at least {result.total_at_least}"
    if result.severe:
        text = (
            f"Severe score ({level}): refer urgently to the perinatal mental health team "
            "(or the GP the same day if they cannot be reached)"
        )
        return [_make("severe-referral", REFERRAL, text, 0, referral_reason=reason, referral_urgency="urgent")]
    return [
        _make(
            "listening-visits",
            "listening_visits",
            f"Offer listening visits: a course of {th.listening_visits} ({level})",
            14,
        ),
        _make(
            "refer",
            REFERRAL,
            f"Or refer ({level}): the GP or NHS Talking Therapies; the perinatal mental health team "
            "if the illness is moderate to severe or complex",
            14,
            referral_reason=reason,
            referral_urgency="routine",
        ),
        _make(
            "rescreen",
            "rescreen",
            f"Re-screen in {th.rescreen_from_days} to {th.rescreen_by_days} days",
            th.rescreen_by_days,
            due_from_days=th.rescreen_from_days,
        ),
    ]


def suggestions_for(
    result: Result, *, concern: bool = False, thresholds: Thresholds | None = None
) -> list[RuleSuggestion]:
    """The suggestions the rules make for one scored screen (and any clinical concern).

    ``thresholds`` gives the configured numbers (course length, re-screen window); the result was
    scored with the same set.
    """
    th = thresholds or DEFAULT_THRESHOLDS
    found = []
    if concern or (result.instrument in SCREENING_TOOLS and result.positive):
        found.append(_make("full-assessment", "full_assessment", FULL_ASSESSMENT_TEXT, 14))
    if result.risk_item_flag:
        found.append(_make("risk-item", "urgent_action", URGENT_TEXT, 0, urgent=True, action="flag"))
    return found + _unanswered(result) + _next_steps(result, th)


RELATIONSHIP_RULE = RuleInfo(
    "relationship-concern", "1", "Some or significant concern about the parent-infant relationship (QS37 st.9)"
)


def relationship_suggestions(judgement: str) -> list[RuleSuggestion]:
    """A follow-up for any concern about the parent-infant relationship."""
    concern = judgement in {"some_concern", "significant_concern"}
    rule = RELATIONSHIP_RULE
    return (
        [RuleSuggestion(rule.rule_id, rule.version, "relationship_follow_up", RELATIONSHIP_TEXT, 14)] if concern else []
    )
