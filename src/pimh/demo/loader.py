"""Load the demo trust, its staff and a synthetic population into an empty database.

Everything is written in one transaction with one audit event. Rows are bulk
inserted (the service functions write one audit event per row, far too slow for
a population); the generator produces only values those functions accept.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from pimh.core import audit
from pimh.core.models import AuditAction, Organisation, Team, User
from pimh.demo import DEMO_PASSWORD, ODS_CODE, ORGANISATION_NAME, STAFF, TEAM_NAMES, demo_logins, team_shares
from pimh.demo.bulk import checks_at_the_end, insert_objects, insert_rows
from pimh.demo.generator import Population, generate, local_authority_code
from pimh.demo.progress import NO_PROGRESS, Progress
from pimh.families.models import Family, Person, Pregnancy, Relationship, ServiceLevelChange

__all__ = ["DEMO_PASSWORD", "DemoError", "DemoSummary", "demo_logins", "load_demo"]

WORKING_HOURS_START = dt.time(9, 0)
DEMO_ALERT_TEXT = {"lone_worker": "Visit in pairs (demo alert)", "animals": "Dogs at the address (demo alert)"}


class DemoError(Exception):
    """The demo cannot be loaded here (the message is one line, safe to show)."""


@dataclass(frozen=True)
class DemoSummary:
    seed: int
    children: int
    today: dt.date
    counts: dict[str, int]
    logins: list[tuple[str, str, str]]
    seconds: float

    def describe(self) -> str:
        c = self.counts
        return (
            f"Loaded the demo (seed {self.seed}, today {self.today:%Y-%m-%d}): {c['families']:,} families, "
            f"{c['children']:,} children, {c['people']:,} people, {c['pregnancies']:,} pregnancies, "
            f"{c['relationships']:,} relationships, {c['staff']:,} staff in {self.seconds:.1f} s"
        )


@dataclass(frozen=True)
class DemoContext:
    """What a later demo step needs: the population is already in the database."""

    seed: int
    today: dt.date
    rng: np.random.Generator
    users: dict[str, User]
    progress: Progress = NO_PROGRESS


# Each app adds its demo records after the population is loaded, in this order.
# A step is ``load(context) -> dict[str, int]`` (counts for the summary) in module ``pimh.<app>.demo``.
DEMO_STEP_MODULES = (
    "pimh.contacts.demo",
    "pimh.diary.demo",
    "pimh.screening.demo",
    "pimh.referrals.demo",
    "pimh.workforce.demo",
)


def demo_steps() -> list[Callable[[DemoContext], dict[str, int]]]:
    steps = []
    for name in DEMO_STEP_MODULES:
        if importlib.util.find_spec(name) is not None:
            steps.append(importlib.import_module(name).load)
    return steps


def _bulk_tables() -> list[type]:
    """The tables the demo fills in bulk: the population's and those of each demo step's app."""
    labels = ["families"] + [name.split(".")[1] for name in DEMO_STEP_MODULES]
    return [
        model
        for label in labels
        if apps.is_installed(f"pimh.{label}")
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ]


def database_is_empty() -> bool:
    return not Family.objects.exists()


def _refuse_unless_empty() -> None:
    if not database_is_empty():
        raise DemoError("The database already holds families: the demo loads only into an empty database")
    taken = User.objects.filter(username__in=[s.username for s in STAFF]).values_list("username", flat=True)
    if taken:
        raise DemoError(f"A user called {sorted(taken)[0]} already exists: the demo loads only into an empty database")
    if Organisation.objects.filter(ods_code=ODS_CODE).exists():
        raise DemoError(f"An organisation with ODS code {ODS_CODE} already exists: the demo loads only once")


def _create_staff(teams: list[Team]) -> dict[str, User]:
    password = make_password(DEMO_PASSWORD)  # hashing is slow: once, shared by every demo login
    users = {}
    for number, staff in enumerate(STAFF, start=1):
        clinical = staff.role in ("hv", "sphv", "lead")
        user = User.objects.create(
            username=staff.username,
            password=password,
            first_name=staff.first_name,
            last_name=staff.last_name,
            email=f"{staff.username}@northmoor.example",
            role=staff.role,
            is_staff=staff.role == "admin",
            is_superuser=staff.role == "admin",
            professional_registration=f"99Z{number:04d}E" if clinical else "",
        )
        user.teams.set([teams[i] for i in staff.teams])
        users[staff.username] = user
    return users


def _caseload_holders(population: Population, users: dict[str, User]) -> np.ndarray:
    """Each family's health visitor: the team's HVs in proportion to their caseload weights."""
    families = population.families
    holder = np.zeros(len(families["team"]), dtype=np.int64)
    for team in range(len(TEAM_NAMES)):
        hvs = [s for s in STAFF if s.teams == (team,) and s.caseload_weight > 0]
        bounds = np.cumsum([s.caseload_weight for s in hvs]) / sum(s.caseload_weight for s in hvs)
        ids = np.array([users[s.username].pk for s in hvs])
        in_team = families["team"] == team
        slot = np.minimum(np.searchsorted(bounds, families["alloc"][in_team], side="right"), len(hvs) - 1)
        holder[in_team] = ids[slot]
    return holder


def _insert(population: Population, teams: list[Team], users: dict[str, User], progress: Progress) -> None:
    def _bulk(model: type, objects: list) -> np.ndarray:
        return insert_objects(model, objects, progress=progress)

    tz = timezone.get_current_timezone()
    now = timezone.now()
    moments: dict[dt.date, dt.datetime] = {}

    def at_nine(day: dt.date) -> dt.datetime:
        """Nine in the morning of ``day`` (never later than now): rows look recorded in working hours."""
        if day not in moments:
            moments[day] = min(now, dt.datetime.combine(day, WORKING_HOURS_START, tzinfo=tz))
        return moments[day]

    f = population.families
    holder = _caseload_holders(population, users)
    team_ids = np.array([team.pk for team in teams])[f["team"]]
    family_pk = _bulk(
        Family,
        [
            Family(
                reference=row["reference"],
                team_id=team_id,
                allocated_hv_id=hv,
                service_level=row["service_level"],
                safeguarding=row["safeguarding"],
                lsoa_code=row["lsoa_code"],
                imd_decile=row["imd_decile"],
                local_authority_code=row["local_authority_code"],
                language=row["language"],
                interpreter_needed=row["interpreter_needed"],
                address_line_1=row["address_line_1"],
                town=row["town"],
                postcode=row["postcode"],
                phone=row["phone"],
                gp_practice_code=row["gp_practice_code"],
                gp_practice_name=row["gp_practice_name"],
                alerts=[{"kind": row["alert"], "text": DEMO_ALERT_TEXT[row["alert"]]}] if row["alert"] else [],
                created_at=at_nine(row["registered"]),
            )
            for row, team_id, hv in zip(population.rows("families"), team_ids.tolist(), holder.tolist(), strict=True)
        ],
    )

    s = population.service_level_changes
    _bulk(
        ServiceLevelChange,
        [
            ServiceLevelChange(
                family_id=family_id,
                level=level,
                effective_from=day,
                reason=reason,
                recorded_by_id=hv,
                recorded_at=at_nine(day),
            )
            for family_id, level, day, reason, hv in zip(
                family_pk[s["family"]].tolist(),
                s["level"].tolist(),
                s["effective_from"].tolist(),
                s["reason"].tolist(),
                holder[s["family"]].tolist(),
                strict=True,
            )
        ],
    )

    # Adults first, then the pregnancies (which name the mother), then the children (which name the pregnancy).
    p = population.people
    person_pk = np.zeros(len(p["role"]), dtype=np.int64)
    rows = population.rows("people")

    person_fields = (
        "family_id",
        "role",
        "nhs_number",
        "given_name",
        "family_name",
        "date_of_birth",
        "sex",
        "ethnic_category",
        "pregnancy_id",
    )

    def people(indexes: np.ndarray, pregnancy_ids: list[int | None]) -> np.ndarray:
        values = [
            (
                family_id,
                row["role"],
                row["nhs_number"] or None,
                row["given_name"],
                row["family_name"],
                row["date_of_birth"],
                row["sex"],
                row["ethnic_category"],
                pregnancy_id,
            )
            for row, family_id, pregnancy_id in zip(
                (rows[i] for i in indexes.tolist()),
                family_pk[p["family"][indexes]].tolist(),
                pregnancy_ids,
                strict=True,
            )
        ]
        return insert_rows(Person, person_fields, values, len(values), progress=progress)

    adults = np.flatnonzero(p["role"] != "infant")
    person_pk[adults] = people(adults, [None] * adults.size)
    g = population.pregnancies
    pregnancy_pk = _bulk(
        Pregnancy,
        [
            Pregnancy(family_id=family_id, mother_id=mother_id, edd=edd, outcome=outcome, outcome_date=outcome_date)
            for family_id, mother_id, edd, outcome, outcome_date in zip(
                family_pk[g["family"]].tolist(),
                person_pk[g["mother"]].tolist(),
                g["edd"].tolist(),
                g["outcome"].tolist(),
                g["outcome_date"].tolist(),
                strict=True,
            )
        ],
    )
    infants = np.flatnonzero(p["role"] == "infant")
    pregnancy = p["pregnancy"][infants]
    pregnancy_ids = [int(pregnancy_pk[i]) if i >= 0 else None for i in pregnancy.tolist()]
    person_pk[infants] = people(infants, pregnancy_ids)

    r = population.relationships
    insert_rows(
        Relationship,
        ("adult_id", "child_id", "kind"),
        zip(person_pk[r["adult"]].tolist(), person_pk[r["child"]].tolist(), r["kind"].tolist(), strict=True),
        r["adult"].size,
        progress=progress,
    )


def load_demo(
    *, seed: int = 1, children: int = 2500, today: dt.date | None = None, progress: bool = False
) -> DemoSummary:
    """Create the demo trust, teams, staff and ``children`` children with their families.

    Raises DemoError, changing nothing, unless the database is empty of families
    and of the demo's staff. ``progress`` draws a bar per table on stderr.
    """
    started = time.perf_counter()
    today = today or timezone.localdate()
    with transaction.atomic(), Progress(enabled=progress) as bar:
        _refuse_unless_empty()
        population = generate(
            seed=seed, children=children, today=today, teams=len(TEAM_NAMES), team_shares=team_shares()
        )
        organisation = Organisation.objects.create(name=ORGANISATION_NAME, ods_code=ODS_CODE)
        teams = [
            Team.objects.create(organisation=organisation, name=name, local_authority_code=local_authority_code(i))
            for i, name in enumerate(TEAM_NAMES)
        ]
        users = _create_staff(teams)
        extra_counts: dict[str, int] = {}
        with checks_at_the_end(_bulk_tables()):
            _insert(population, teams, users, bar)
            context = DemoContext(
                seed=seed, today=today, rng=np.random.default_rng(seed + 1), users=users, progress=bar
            )
            for step in demo_steps():
                extra_counts.update(step(context))
        audit.record(
            by=None,
            action=AuditAction.CREATE,
            object_type="demo",
            detail={"seed": seed, "children": children, "today": today.isoformat()},
        )
    counts = population.counts()
    counts.update(extra_counts)
    counts["children"] = children
    counts["staff"] = len(STAFF)
    return DemoSummary(
        seed=seed,
        children=children,
        today=today,
        counts=counts,
        logins=demo_logins(),
        seconds=time.perf_counter() - started,
    )
