"""The demo: a fictional trust, its staff and a synthetic population.

This package module is pure data (no Django import) so that ``pimh logins`` can
print the logins without a database. ``generator`` builds the population;
``loader`` writes everything into an empty database.
"""

from __future__ import annotations

from dataclasses import dataclass

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - the published password of fictional demo staff
ORGANISATION_NAME = "Northmoor Community Health NHS Trust"
ODS_CODE = "RZZ"  # fictional
TEAM_NAMES = ("Northmoor North health visiting", "Northmoor South health visiting")

# Role codes and labels as in pimh.core.models.Role (a test keeps them in step).
ROLE_LABELS = {
    "hv": "Health visitor",
    "sphv": "Specialist health visitor in PIMH",
    "lead": "Team lead",
    "analyst": "Analyst or commissioner",
    "admin": "Administrator",
}


@dataclass(frozen=True)
class DemoStaff:
    username: str
    first_name: str
    last_name: str
    role: str
    teams: tuple[int, ...]  # indexes into TEAM_NAMES
    caseload_weight: float = 0.0  # share of the team's families, relative to colleagues
    note: str = ""


STAFF = (
    DemoStaff("hv1", "Jo", "Fernleigh", "hv", (0,), 1.5, "North team, the largest caseload"),
    DemoStaff("hv2", "Priya", "Kettlemere", "hv", (0,), 1.0, "North team"),
    DemoStaff("hv3", "Sarah", "Marshcombe", "hv", (0,), 1.0, "North team"),
    DemoStaff("hv4", "Amina", "Oakhollow", "hv", (0,), 1.0, "North team"),
    DemoStaff("hv5", "Claire", "Thistlegate", "hv", (0,), 1.0, "North team"),
    DemoStaff("hv6", "Grace", "Brackenridge", "hv", (1,), 1.0, "South team"),
    DemoStaff("hv7", "Kasia", "Rowanmere", "hv", (1,), 1.0, "South team"),
    DemoStaff("hv8", "Rachel", "Linnetcombe", "hv", (1,), 1.0, "South team"),
    DemoStaff("hv9", "Funmi", "Herongate", "hv", (1,), 1.0, "South team"),
    DemoStaff("sphv", "Helen", "Wrenhollow", "sphv", (0, 1), note="Both teams: consultation and supervision"),
    DemoStaff("lead", "Dawn", "Ashcombe", "lead", (0,), note="North team lead"),
    DemoStaff("analyst", "Sam", "Brightmere", "analyst", (), note="No team: indicators only"),
    DemoStaff("admin", "Alex", "Pebblegate", "admin", (), note="Administrator (staff and superuser)"),
)


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, role label, note) for each demo login; all share DEMO_PASSWORD."""
    return [(staff.username, ROLE_LABELS[staff.role], staff.note) for staff in STAFF]


def team_shares() -> tuple[float, ...]:
    """Each team's share of the families: proportional to its health visitors' caseload weights."""
    weights = [sum(s.caseload_weight for s in STAFF if s.teams == (team,)) for team in range(len(TEAM_NAMES))]
    return tuple(w / sum(weights) for w in weights)
