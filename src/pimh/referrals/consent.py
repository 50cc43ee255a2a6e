"""Consent to refer: what must be recorded before a referral may be sent. Pure (no Django).

Our design (the domain reference does not set a rule): a referral records whether the person
consented. "Not needed" needs its reason (for example, the person lacks capacity, or an emergency).
A referral without consent is sent only when the reason to override is recorded (for example,
safeguarding); otherwise it stays a draft.
"""

from __future__ import annotations

GIVEN = "given"
NOT_GIVEN = "not_given"
NOT_NEEDED = "not_needed"
NOT_RECORDED = ""  # referrals drafted before consent was recorded, or through the API

LABELS = {
    GIVEN: "Consent given",
    NOT_GIVEN: "Consent not given",
    NOT_NEEDED: "Consent not needed",
    NOT_RECORDED: "Not recorded",
}
NOTE_MAX = 200


def recording_problems(consent: str, note: str) -> dict[str, str]:
    """Errors in recording consent, by field (empty when it can be stored)."""
    note = note.strip()
    if consent not in LABELS:
        return {"consent": "Choose whether the person consented to the referral"}
    if len(note) > NOTE_MAX:
        return {"consent_note": f"The reason must be {NOTE_MAX} characters or fewer (it has {len(note)})"}
    if consent == NOT_NEEDED and not note:
        return {"consent_note": "Give the reason consent is not needed"}
    return {}


def send_problems(consent: str, note: str) -> dict[str, str]:
    """Why a referral cannot be sent with this consent (empty when it can)."""
    problems = recording_problems(consent, note)
    if problems:
        return problems
    if consent == NOT_RECORDED:
        return {"consent": "Record whether the person consented before sending the referral"}
    if consent == NOT_GIVEN and not note.strip():
        return {
            "consent_note": "Consent was not given: record the reason to refer without it (for example, safeguarding)"
        }
    return {}
