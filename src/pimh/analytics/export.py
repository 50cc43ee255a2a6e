"""The service database as an analytics snapshot (``pimh-snapshot/1``), pseudonymised.

Read in bulk with ``values_list`` (no model instances), built column by column into Arrow tables
and written by the same writer as ``pimh synth`` (snapshot.py), so every reader accepts it.

Nothing identifying leaves: identifiers are keyed hashes (pseudonym.py, key from the
``SNAPSHOT_PSEUDONYM_KEY`` setting, never written), and no name, address, phone number, NHS number,
LSOA or free text is read at all. Team ids and names are organisational, not personal, and are kept.
Infant feeding and ASQ-3 come from the contact (``Contact.feeding_status``, ``asq3_*``): one
``asq3_scores`` row per domain scored, for each child the contact is about; the duration of a
contact is not recorded by the service (null).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa
from django.conf import settings
from django.db.models import Model
from django.utils import timezone

from pimh.analytics import snapshot
from pimh.analytics.pseudonym import MIN_KEY_LENGTH, Pseudonymiser
from pimh.contacts.asq3 import DOMAINS as ASQ3_DOMAINS
from pimh.interop.csds import ACT_LOC_TYPE, ATTENDANCE_STATUS, CONS_MECHANISM

PRODUCER = "pimh snapshot"
CHUNK = 5000

SERVICE_LEVEL = {"partnership_plus": "universal_partnership_plus"}
SEX = {"F": "F", "M": "M"}  # indeterminate and not known: U
RELATIONSHIP = {
    "birth_mother": "mother", "father": "father", "other_parent": "partner", "step_parent": "partner",
}  # fmt: skip
CONTACT_TYPE = {"three_to_four_month": "other", "targeted": "additional", "specialist": "other"}
DECIDED_ACCEPTED = {"accepted", "first_appointment_offered", "first_appointment_attended", "discharged"}


class ExportError(Exception):
    """The snapshot cannot be written (for example, no pseudonym key): the message says why."""


def pseudonymiser() -> Pseudonymiser:
    key = getattr(settings, "SNAPSHOT_PSEUDONYM_KEY", "")
    if not key:
        raise ExportError("SNAPSHOT_PSEUDONYM_KEY must be set to write a snapshot (see docs/configuration.md)")
    if len(key) < MIN_KEY_LENGTH:
        raise ExportError(f"SNAPSHOT_PSEUDONYM_KEY must be at least {MIN_KEY_LENGTH} characters")
    return Pseudonymiser(key)


def _rows(model: type[Model], *fields: str, **filters: Any) -> Iterator[tuple[Any, ...]]:
    manager = model._default_manager
    return manager.filter(**filters).order_by("pk").values_list(*fields).iterator(chunk_size=CHUNK)


def _columns(rows: Iterable[tuple[Any, ...]], width: int) -> list[list[Any]]:
    columns: list[list[Any]] = [[] for _ in range(width)]
    for row in rows:
        for column, value in zip(columns, row, strict=True):
            column.append(value)
    return columns


def _table(name: str, data: dict[str, list[Any]]) -> pa.Table:
    kinds = snapshot.TABLES[name]
    return pa.table({column: pa.array(data[column], type=kinds[column]) for column in kinds})


def _nulls(n: int) -> list[None]:
    return [None] * n


def _map(values: Iterable[Any], convert: Callable[[Any], Any]) -> list[Any]:
    return [convert(v) for v in values]


class Exporter:
    def __init__(self, pseudo: Pseudonymiser, extract_date: dt.date) -> None:
        self.p = pseudo
        self.extract_date = extract_date
        self._asq3: dict[str, list[Any]] = {name: [] for name in snapshot.TABLES["asq3_scores"]}
        self.zone = ZoneInfo(settings.TIME_ZONE)
        from pimh.core.models import Team
        from pimh.families.models import Person

        self.team_la = dict(Team.objects.values_list("pk", "local_authority_code"))
        # Every person's pseudonym once (the NHS number is read here only, and only to be hashed).
        self.person = {pk: self.p.person(pk, nhs) for pk, nhs in _rows(Person, "pk", "nhs_number")}

    def team(self, pk: int | None) -> str | None:
        return None if pk is None else str(pk)

    def local_authority(self, own: str, team_pk: int | None) -> str | None:
        return own or self.team_la.get(team_pk) or None

    def local_day(self, moment: dt.datetime | None) -> dt.date | None:
        return None if moment is None else timezone.localtime(moment, self.zone).date()

    # ---- tables --------------------------------------------------------------------------------------

    def children(self) -> pa.Table:
        from pimh.families.models import Person, Relationship

        mothers = dict(
            Relationship.objects.filter(kind="birth_mother")
            .order_by("child_id", "pk")
            .values_list("child_id", "adult_id")
        )
        fields = (
            "pk", "date_of_birth", "sex", "ethnic_category", "family__imd_decile", "family__local_authority_code",
            "family__team_id", "responsible_from", "responsible_until", "date_of_death", "carer_with_pr_id",
            "pregnancy__mother_id", "pregnancy__edd", "family__service_level", "family__safeguarding",
        )  # fmt: skip
        (pk, dob, sex, eth, imd, la, team, r_from, r_to, death, carer, preg_mother, edd, level, safeguarding) = (
            _columns(_rows(Person, *fields, role="infant"), len(fields))
        )
        return _table("children", {
            "child_id": [self.person[k] for k in pk],
            "date_of_birth": dob,
            "sex": _map(sex, lambda v: SEX.get(v, "U")),
            "ethnic_category": eth,
            "imd_decile": imd,
            "local_authority": [self.local_authority(a, t) for a, t in zip(la, team, strict=True)],
            "team_id": _map(team, self.team),
            "responsible_from": [f or b for f, b in zip(r_from, dob, strict=True)],
            "responsible_to": r_to,
            "date_of_death": death,
            "looked_after": [c is not None for c in carer],
            "birthing_parent_id": [self.person.get(m if m is not None else mothers.get(k))
                                   for k, m in zip(pk, preg_mother, strict=True)],
            "gestation_weeks": [_gestation(b, e) for b, e in zip(dob, edd, strict=True)],
            "service_level": _map(level, lambda v: SERVICE_LEVEL.get(v, v)),
            "child_protection_plan": [s == "cp" for s in safeguarding],
        })  # fmt: skip

    def parents(self) -> pa.Table:
        from pimh.families.models import ADULT_ROLES, Person

        fields = ("pk", "role", "ethnic_category", "family__local_authority_code", "family__team_id")
        pk, role, eth, la, team = _columns(_rows(Person, *fields, role__in=ADULT_ROLES), len(fields))
        return _table("parents", {
            "parent_id": [self.person[k] for k in pk], "role": role, "ethnic_category": eth,
            "local_authority": [self.local_authority(a, t) for a, t in zip(la, team, strict=True)],
        })  # fmt: skip

    def parent_child(self) -> pa.Table:
        from pimh.families.models import ADULT_ROLES, Relationship

        adult, child, kind = _columns(
            _rows(Relationship, "adult_id", "child_id", "kind", adult__role__in=ADULT_ROLES, child__role="infant"), 3
        )
        return _table("parent_child", {
            "parent_id": [self.person[k] for k in adult], "child_id": [self.person[k] for k in child],
            "relationship": _map(kind, lambda v: RELATIONSHIP.get(v, "other_carer")),
        })  # fmt: skip

    def pregnancies(self) -> pa.Table:
        from pimh.families.models import Pregnancy

        fields = (
            "pk",
            "mother_id",
            "edd",
            "outcome",
            "outcome_date",
            "family__team_id",
            "family__local_authority_code",
        )
        pk, mother, edd, outcome, on, team, la = _columns(_rows(Pregnancy, *fields), len(fields))
        return _table("pregnancies", {
            "pregnancy_id": self.p.records("pregnancy", pk), "parent_id": [self.person[k] for k in mother],
            "edd": edd, "outcome": outcome, "outcome_date": on, "team_id": _map(team, self.team),
            "local_authority": [self.local_authority(a, t) for a, t in zip(la, team, strict=True)],
        })  # fmt: skip

    def contacts(self) -> pa.Table:
        from pimh.contacts.models import Contact

        covers: dict[int, list[int]] = {}
        through = Contact.covers.through
        for contact_id, person_id in (
            through.objects.order_by("pk").values_list("contact_id", "person_id").iterator(chunk_size=CHUNK)
        ):
            covers.setdefault(contact_id, []).append(person_id)
        fields = ("pk", "contact_type", "date", "subject_id", "subject__role", "pregnancy_id", "mode", "attendance",
                  "location", "family__team_id", "practitioner_id", "feeding_status", "asq3_used",
                  "asq3_interval_months", *(f"asq3_{domain}" for domain in ASQ3_DOMAINS))  # fmt: skip
        out: dict[str, list[Any]] = {name: [] for name in snapshot.TABLES["contacts"]}
        asq = self._asq3 = {name: [] for name in snapshot.TABLES["asq3_scores"]}  # filled below
        for (pk, kind, day, subject, role, pregnancy, mode, attendance, location, team, practitioner, feeding,
             asq3_used, interval, *scores) in _rows(Contact, *fields):  # fmt: skip
            children = covers.get(pk) or ([subject] if role == "infant" else [None])
            for n, child in enumerate(children):
                contact_id = self.p.record("contact", pk if n == 0 else f"{pk}/{child}")
                out["contact_id"].append(contact_id)
                out["breastfeeding_status"].append(feeding or None)
                out["asq3_used"].append(asq3_used)
                for domain, score in zip(ASQ3_DOMAINS, scores, strict=True):
                    if score is not None and child is not None:
                        asq["contact_id"].append(contact_id)
                        asq["child_id"].append(self.person[child])
                        asq["interval_months"].append(interval)
                        asq["domain"].append(domain)
                        asq["score"].append(score)
                out["contact_type"].append(CONTACT_TYPE.get(kind, kind))
                out["contact_date"].append(day)
                out["child_id"].append(None if child is None or kind == "antenatal" else self.person[child])
                out["pregnancy_id"].append(self.p.record("pregnancy", pregnancy))
                out["mechanism"].append(CONS_MECHANISM.get(mode, "98"))
                out["attendance"].append(ATTENDANCE_STATUS.get(attendance))
                out["location"].append(ACT_LOC_TYPE.get(location, "X01"))
                out["team_id"].append(self.team(team))
                out["practitioner_id"].append(self.p.record("staff", practitioner))
        out["duration_minutes"] = _nulls(len(out["contact_id"]))  # not recorded by the service
        return _table("contacts", out)

    def asq3_scores(self) -> pa.Table:
        """The ASQ-3 domain scores gathered by ``contacts()`` (which must run first)."""
        return _table("asq3_scores", self._asq3)

    def screens(self) -> pa.Table:
        from pimh.screening.models import Screen

        fields = ("pk", "person_id", "person__role", "contact__subject_id", "contact__subject__role", "instrument",
                  "contact__date", "recorded_at", "missing_items", "total", "positive", "risk_item_flag", "contact_id")  # fmt: skip
        (pk, person, role, subject, subject_role, instrument, contact_day, recorded, missing, total, positive, risk,
         contact) = _columns(_rows(Screen, *fields), len(fields))  # fmt: skip
        return _table("screens", {
            "screen_id": self.p.records("screen", pk), "parent_id": [self.person[k] for k in person],
            "parent_role": role,
            "child_id": [self.person[s] if r == "infant" else None for s, r in zip(subject, subject_role, strict=True)],
            "instrument": instrument,
            "screen_date": [c or self.local_day(r) for c, r in zip(contact_day, recorded, strict=True)],
            "complete": [not m for m in missing], "total": total, "positive": positive, "risk_item_flag": risk,
            "contact_id": self.p.records("contact", contact),
        })  # fmt: skip

    def referrals(self) -> pa.Table:
        from pimh.referrals.models import Referral

        fields = ("pk", "person_id", "person__role", "service__kind", "service__sees", "urgency", "sent_on",
                  "acknowledged_on", "status", "decided_on", "decline_reason", "first_appointment_on", "attended_on",
                  "closed_on")  # fmt: skip
        (pk, person, role, kind, sees, urgency, sent, ack, status, decided, reason, first, attended, closed) = _columns(
            _rows(Referral, *fields, sent_on__isnull=False), len(fields)
        )
        infant = [r == "infant" for r in role]
        return _table("referrals", {
            "referral_id": self.p.records("referral", pk),
            "subject": ["infant" if i else ("dyad" if s == "dyad" else "parent") for i, s in zip(infant, sees, strict=True)],
            "parent_id": [None if i else self.person[k] for i, k in zip(infant, person, strict=True)],
            "child_id": [self.person[k] if i else None for i, k in zip(infant, person, strict=True)],
            "service_kind": kind, "urgency": urgency, "sent_on": sent, "acknowledged_on": ack,
            "decision": [_decision(s) for s in status], "decided_on": decided,
            "decline_reason": [r or None for r in reason], "first_appointment_on": first, "attended_on": attended,
            "discharged_on": [c if s == "discharged" else None for s, c in zip(status, closed, strict=True)],
            "withdrawn_on": [c if s == "withdrawn" else None for s, c in zip(status, closed, strict=True)],
        })  # fmt: skip

    def staff(self) -> pa.Table:
        from pimh.core.models import User

        through = User.teams.through
        memberships = list(through.objects.order_by("pk").values_list("user_id", "team_id"))
        users = {pk: (role, wte) for pk, role, wte in _rows(User, "pk", "role", "wte")}
        return _table("staff", {
            "practitioner_id": [self.p.record("staff", u) for u, _ in memberships],
            "team_id": [self.team(t) for _, t in memberships],
            "role": [users[u][0] for u, _ in memberships],
            "wte": [None if users[u][1] is None else float(users[u][1]) for u, _ in memberships],
            "band": _nulls(len(memberships)),
        })  # fmt: skip

    def teams(self) -> pa.Table:
        from pimh.core.models import Team

        pk, name, la = _columns(_rows(Team, "pk", "name", "local_authority_code"), 3)
        return _table("teams", {"team_id": _map(pk, self.team), "name": name, "local_authority": la})


def _gestation(dob: dt.date | None, edd: dt.date | None) -> int | None:
    if dob is None or edd is None:
        return None
    weeks = 40 - (edd - dob).days // 7
    return weeks if 20 <= weeks <= 45 else None


def _decision(status: str) -> str | None:
    if status == "declined":
        return "declined"
    return "accepted" if status in DECIDED_ACCEPTED else None


TABLE_ORDER = (
    "teams",
    "staff",
    "children",
    "parents",
    "parent_child",
    "pregnancies",
    "contacts",
    "asq3_scores",
    "screens",
    "referrals",
)


def write(folder: Path | str, *, extract_date: dt.date | None = None,
          progress: Callable[[str, float], None] | None = None) -> dict[str, Any]:  # fmt: skip
    """Write the whole service database as a snapshot in ``folder``; return the manifest."""
    day = extract_date or timezone.localdate()
    exporter = Exporter(pseudonymiser(), day)
    writer = snapshot.SnapshotWriter(
        folder, producer=f"{PRODUCER} {_version()}", source="service database", extract_date=day, coverage="service"
    )
    for n, name in enumerate(TABLE_ORDER):
        if progress:
            progress(name, n / len(TABLE_ORDER))
        writer.add(name, getattr(exporter, name)())
    if progress:
        progress("done", 1.0)
    return writer.finish()


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pimh-pathway")
    except PackageNotFoundError:
        return "unknown"
