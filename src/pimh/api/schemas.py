"""What the API returns and accepts. Codes are the service's own values (docs/api.md lists them)."""

import datetime as dt
from typing import Generic, TypeVar

from ninja import Schema
from pydantic import Field, field_validator
from pydantic_core import PydanticCustomError

T = TypeVar("T")


class WriteSchema(Schema):
    """A request body: text with a NUL character is a field error, as in the forms (PostgreSQL cannot store it)."""

    @field_validator("*", mode="after")
    @classmethod
    def no_null_characters(cls, value: object) -> object:
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(text, str) and "\x00" in text for text in texts):
            raise PydanticCustomError("null_character", "Null characters are not allowed.")
        return value


class Problem(Schema):
    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: dict[str, list[str]] | None = None


class Page(Schema, Generic[T]):
    count: int
    limit: int
    offset: int
    items: list[T]


class FamilyOut(Schema):
    id: int
    reference: str
    team: str
    allocated_health_visitor: str | None
    service_level: str
    safeguarding: str
    language: str
    interpreter_needed: bool
    created_at: dt.datetime


class PersonOut(Schema):
    id: int
    family_id: int
    role: str
    nhs_number: str | None
    given_name: str
    family_name: str
    date_of_birth: dt.date | None
    sex: str
    ethnic_category: str
    date_of_death: dt.date | None


class PregnancyOut(Schema):
    id: int
    family_id: int
    mother_id: int
    edd: dt.date
    outcome: str
    outcome_date: dt.date | None


class ContactOut(Schema):
    id: int
    family_id: int
    subject_id: int | None
    contact_type: str
    date: dt.date
    time: dt.time | None
    mode: str
    location: str
    attendance: str
    present_ids: list[int]
    covers_ids: list[int]
    counts_for_metrics: bool


class ContactIn(WriteSchema):
    contact_type: str = Field(max_length=30)
    date: dt.date
    time: dt.time | None = None
    mode: str = Field("face_to_face", max_length=15)
    location: str = Field("home", max_length=10)
    attendance: str = Field("attended", max_length=20)
    subject_id: int | None = None
    present_ids: list[int] = Field(default_factory=list, max_length=50)
    covers_ids: list[int] = Field(default_factory=list, max_length=20)
    others_present: str = Field("", max_length=200)
    notes: str = Field("", max_length=20000)
    task_id: int | None = None


class TaskOut(Schema):
    id: int
    family_id: int
    family_reference: str
    person_id: int | None
    kind: str
    title: str
    urgent: bool
    due_from: dt.date
    due_by: dt.date
    status: str


class ScreenOut(Schema):
    id: int
    family_id: int
    person_id: int
    instrument: str
    instrument_version: str
    answers: list[int | None] = Field(description="Answer positions (0 = first option); null = unanswered")
    item_scores: list[int | None]
    total: int | None
    total_at_least: int
    cutoff: int | None
    missing_items: list[int]
    band: str
    outcome: str
    risk_item_flag: bool | None
    recorded_at: dt.datetime


class ScreenIn(WriteSchema):
    person_id: int
    instrument: str = Field(max_length=10)
    answers: list[int | None] = Field(max_length=40, description="Answer positions; null = unanswered")
    concern: bool = False
    interpreter_used: bool = False
    interpreter_language: str = Field("", max_length=60)


class ReferralOut(Schema):
    id: int
    family_id: int
    person_id: int
    service_id: int
    service: str
    urgency: str
    reason_code: str
    status: str
    criteria_warnings: list[str]
    created_at: dt.datetime
    sent_on: dt.date | None


class ReferralIn(WriteSchema):
    person_id: int
    service_id: int
    urgency: str = Field(max_length=10)
    reason_code: str = Field(max_length=20)
    reason_text: str = Field("", max_length=20000)


class FlagOut(Schema):
    id: int
    family_id: int
    person_id: int
    reason: str
    emergency: bool
    status: str
    raised_at: dt.datetime
    deadline: dt.datetime | None
