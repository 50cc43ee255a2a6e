"""A synthetic population of families for the demo, tests and benchmarks.

Deterministic (the same ``seed`` and ``today`` give identical output), vectorised
with NumPy so that it scales to hundreds of thousands of children, and free of
any database or Django import: it returns plain column arrays, one table per
model, that ``pimh.demo.loader`` turns into rows.

The mix follows the domain reference (sections 1 and 8) where it gives numbers;
everything else is a planning assumption, named as a constant below. Every
person is fictional: common given names with invented family names, NHS numbers
from the 999 test range, LSOA and local authority codes outside the real ranges.

Dates are ``datetime64[D]`` arrays (``NaT`` when absent); people, pregnancies
and families refer to each other by row index (-1 when absent).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import product
from typing import Any, ClassVar

import numpy as np

Table = dict[str, np.ndarray]

MAX_CHILDREN = 300_000  # the 999 test range holds about 818,000 usable NHS numbers
YEAR = 365.25
MIN_AGE_DAYS, MAX_AGE_DAYS = 1, 5 * 365  # children from 1 day to (just under) 5 years old
BIRTH_GAP_DAYS = 365  # shortest interval between two births in one family (twins apart)
SIBLINGS = (0.60, 0.33, 0.07)  # families with 1, 2 or 3 children under five
TWIN_SHARE = 0.04  # of families with 2+ children: about 1.5% of families
PREGNANT_SHARE = 1 / 8  # families with an ongoing pregnancy
FIRST_PREGNANCY_SHARE = 0.4  # of those, expecting their first child
LOSS_SHARE = 0.01  # families with a pregnancy loss in the last 6 months
GESTATION_DAYS = 280
MOTHER_MIN_DAYS = 18 * 365 + 5  # at least 18 whole years, whatever the leap days
MOTHER_MAX_DAYS = 46 * 365 + 10  # under 46 whole years, whatever the leap days
SECOND_ADULT_SHARE = 0.75  # families with a father or partner recorded
SECOND_ADULT_KINDS = (0.88, 0.08, 0.04)  # father, male partner, female partner
OTHER_CARER_SHARE = 0.03
OTHER_CARER_KINDS = (0.8, 0.2)  # grandparent, other carer
NO_NHS_NUMBER = {"second": 0.15, "other": 0.30}
INTERPRETER_SHARE = 0.5  # of families whose main language is not English
IMD_DECILE_SHARE = (0.17, 0.15, 0.13, 0.11, 0.10, 0.09, 0.08, 0.07, 0.05, 0.05)  # urban skew
CHILDREN_PER_LSOA = 60
# Contact details (fake but well formed): each LSOA has its own postcode sector; phone numbers are in
# Ofcom's range kept for drama (07700 900000 to 900999); GP practices have made-up "Z" ODS codes.
STREETS = np.array(["Mill", "Station", "Church", "Park", "Victoria", "Albert", "Bridge", "Chapel", "Queen", "Spring"])
STREET_KINDS = np.array(["Street", "Road", "Lane", "Close", "Avenue", "Terrace"])
TOWNS = ("Northbrook", "Eastfield", "Southmoor", "Westleigh", "Kingsford", "Ashby Vale")
POSTCODE_AREAS = ("LS", "BD", "HX", "WF", "HD", "YO")
INWARD_LETTERS = np.array(list("ABDEFGHJLNPQRSTUWXYZ"))  # the letters an inward code may hold
NO_PHONE_SHARE = 0.1
ALERT_SHARE = {"lone_worker": 0.03, "animals": 0.05}
UNIVERSAL_PLUS, PARTNERSHIP_PLUS = 0.06, 0.03  # domain reference section 1
ESCALATED_SHARE = 0.6  # of UP/UPP families, first registered at Universal
# Safeguarding by service level (Universal, Universal Plus, UPP): about 3% CIN and 1% CP overall.
CHILD_IN_NEED = (0.01, 0.15, 0.40)
CHILD_PROTECTION = (0.001, 0.015, 0.28)
LEVELS = np.array(["universal", "universal_plus", "partnership_plus"])


@dataclass(frozen=True)
class Ethnicity:
    code: str
    share: float
    names: int  # given-name group (see GIVEN_NAMES)
    parents: tuple[str, str] | None = None  # for a mixed category, the parents' categories
    other_language: float = 0.0  # share whose main language is not English
    languages: tuple[tuple[str, float], ...] = ()


_SOME_LANGUAGES = (("Arabic", 0.3), ("Polish", 0.3), ("Romanian", 0.2), ("Urdu", 0.2))
ETHNICITIES = (
    Ethnicity("A", 0.580, 0),
    Ethnicity("B", 0.010, 0),
    Ethnicity(
        "C", 0.110, 1, None, 0.32, (("Polish", 0.45), ("Romanian", 0.35), ("Lithuanian", 0.1), ("Portuguese", 0.1))
    ),
    Ethnicity("D", 0.015, 0, ("A", "M")),
    Ethnicity("E", 0.010, 0, ("A", "N")),
    Ethnicity("F", 0.012, 0, ("A", "H")),
    Ethnicity("G", 0.013, 0, ("C", "S")),
    Ethnicity("H", 0.030, 2, None, 0.15, (("Punjabi", 0.5), ("Gujarati", 0.5))),
    Ethnicity("J", 0.040, 2, None, 0.25, (("Urdu", 0.6), ("Punjabi", 0.4))),
    Ethnicity("K", 0.015, 2, None, 0.35, (("Bengali", 1.0),)),
    Ethnicity("L", 0.015, 2, None, 0.20, (("Tamil", 0.5), ("Pashto", 0.5))),
    Ethnicity("M", 0.010, 3),
    Ethnicity("N", 0.035, 3, None, 0.20, (("Somali", 0.5), ("Arabic", 0.25), ("Tigrinya", 0.25))),
    Ethnicity("P", 0.005, 3, None, 0.10, (("French", 1.0),)),
    Ethnicity("R", 0.007, 4, None, 0.30, (("Mandarin", 0.6), ("Cantonese", 0.4))),
    Ethnicity("S", 0.023, 4, None, 0.30, (("Arabic", 0.6), ("Kurdish", 0.2), ("Farsi", 0.2))),
    Ethnicity("Z", 0.040, 0, None, 0.03, _SOME_LANGUAGES),
    Ethnicity("99", 0.030, 0, None, 0.03, _SOME_LANGUAGES),
)

# Given names by group (general, eastern European, south Asian, Black, other) and
# kind (woman, man, girl, boy). Family names are invented: prefix + suffix.
GIVEN_NAMES = (
    (
        "Amy Charlotte Chloe Danielle Emma Gemma Hannah Jade Jessica Katie Laura Lauren Leanne Megan Natalie "
        "Rachel Rebecca Samantha Sarah Sophie Stacey Zoe",
        "Adam Ben Callum Chris Craig Daniel David Dean Jack James Jamie Jordan Josh Kieran Lee Liam Luke "
        "Matthew Michael Ryan Sam Tom",
        "Amelia Ava Ella Evie Florence Freya Grace Isla Isabella Ivy Lily Mia Olivia Poppy Rosie Sophia Willow",
        "Alfie Archie Arthur Charlie Freddie George Harry Henry Jack Leo Noah Oliver Oscar Theo Thomas",
    ),
    (
        "Agnieszka Aleksandra Andreea Elena Ioana Joanna Katarzyna Marta Monika Natalia",
        "Adrian Andrei Bartosz Ionut Jakub Lukasz Marcin Mihai Piotr Tomasz",
        "Alicja Amelia Antonia Emilia Hanna Julia Maja Sofia Zofia",
        "Aleksander Antoni David Filip Jan Luca Matei Nikola Szymon",
    ),
    (
        "Aisha Amina Ayesha Farah Fatima Nadia Priya Rukhsana Sana Shabana Sumaiya",
        "Ahmed Ali Arjun Bilal Faisal Hamza Imran Kamran Rahul Tariq Usman",
        "Aleena Anaya Hafsa Inaya Maryam Noor Zainab Zara",
        "Aarav Ayaan Hamza Ibrahim Muhammad Musa Rayyan Yusuf",
    ),
    (
        "Abena Adaeze Amara Blessing Chiamaka Esther Grace Hodan Nia Precious",
        "Abdi Chidi Daniel Emmanuel Kwame Michael Nathaniel Olu Samuel Tunde",
        "Adanna Amara Ayla Chioma Imani Nia Zuri",
        "David Elijah Emmanuel Isaac Joshua Kayden Malachi Samuel",
    ),
    (
        "Leila Lina Mei Noor Sara Shirin Xin Yasmin",
        "Ali Chen Hassan Karim Omar Reza Wei Yusuf",
        "Aya Hana Layla Lina Mila Sara",
        "Adam Ethan Omar Ryan Yusuf Zayn",
    ),
)
WOMAN, MAN, GIRL, BOY = range(4)
SURNAME_PREFIXES = (
    "Ash Birch Bracken Bramble Bright Cobble Copper Dun Elder Fern Gorse Hazel Heron Holly Kestrel Lark "
    "Linnet Marsh Nettle Oak Pebble Quill Rowan Rush Sedge Sorrel Thistle Willow Wren Yarrow"
).split()
SURNAME_SUFFIXES = (
    "bury by combe dale down field ford hurst ley more stead thorpe ton water well wick wood worth".split()
)
SURNAMES = np.array([a + b for a, b in product(SURNAME_PREFIXES, SURNAME_SUFFIXES)])


def local_authority_code(team: int) -> str:
    """A fake ONS code per team (the real E08 range ends at E08000037)."""
    return f"E08{901 + team:06d}"


@dataclass(frozen=True)
class Population:
    """One table per model: a dict of equally long column arrays."""

    seed: int
    today: dt.date
    families: Table
    people: Table
    pregnancies: Table
    relationships: Table
    service_level_changes: Table
    TABLES: ClassVar[tuple[str, ...]] = (
        "families",
        "people",
        "pregnancies",
        "relationships",
        "service_level_changes",
    )

    def count(self, table: str) -> int:
        return len(next(iter(getattr(self, table).values())))

    def counts(self) -> dict[str, int]:
        return {name: self.count(name) for name in self.TABLES}

    def rows(self, table: str) -> list[dict[str, Any]]:
        """Plain Python rows: dates as ``date`` (or None), numbers as int, text as str."""
        columns = getattr(self, table)
        names = list(columns)
        values = [columns[name].tolist() for name in names]
        return [dict(zip(names, row, strict=True)) for row in zip(*values, strict=True)]


def nhs_numbers(rng: np.random.Generator, count: int) -> np.ndarray:
    """``count`` unique valid NHS numbers from the 999 test range, in random order.

    999 000 000x to 999 099 999x are left for hand-made test fixtures; bodies whose
    modulus 11 check digit would be 10 are skipped.
    """
    bodies = np.arange(999_100_000, 1_000_000_000, dtype=np.int64)
    total = np.zeros_like(bodies)
    rest = bodies.copy()
    for weight in range(2, 11):  # the last body digit weighs 2, the first 10
        total += (rest % 10) * weight
        rest //= 10
    check = (11 - total % 11) % 11
    usable = check != 10
    numbers = bodies[usable] * 10 + check[usable]
    if count > numbers.size:
        raise ValueError(f"The 999 test range holds only {numbers.size} usable NHS numbers")
    chosen: np.ndarray = numbers[rng.choice(numbers.size, size=count, replace=False)].astype("U10")
    return chosen


def _ranks(counts: np.ndarray) -> np.ndarray:
    """For groups of the given sizes laid end to end, each element's index in its group."""
    starts = np.cumsum(counts) - counts
    ranks: np.ndarray = np.arange(int(counts.sum())) - np.repeat(starts, counts)
    return ranks


def _choose(rng: np.random.Generator, shares: Sequence[float] | np.ndarray, size: int) -> np.ndarray:
    p = np.asarray(shares, dtype=float)
    return rng.choice(p.size, size=size, p=p / p.sum())


def _pick_exactly(rng: np.random.Generator, eligible: np.ndarray, count: int) -> np.ndarray:
    candidates = np.flatnonzero(eligible)
    return np.sort(rng.choice(candidates, size=max(0, min(count, candidates.size)), replace=False))


def _ethnic_tables() -> dict[str, np.ndarray]:
    codes = [e.code for e in ETHNICITIES]
    index = {code: i for i, code in enumerate(codes)}
    width = max(len(e.languages) for e in ETHNICITIES)
    names = np.full((len(codes), width), "", dtype="U12")
    cum = np.full((len(codes), width), 2.0)  # never reached by a uniform draw
    for i, e in enumerate(ETHNICITIES):
        shares = np.cumsum([share for _, share in e.languages])
        names[i, : len(e.languages)] = [name for name, _ in e.languages]
        cum[i, : len(e.languages)] = shares / shares[-1] if len(shares) else shares
    parents = [(index[e.parents[0]], index[e.parents[1]]) if e.parents else (i, i) for i, e in enumerate(ETHNICITIES)]
    return {
        "code": np.array(codes),
        "share": np.array([e.share for e in ETHNICITIES]),
        "names": np.array([e.names for e in ETHNICITIES]),
        "parent1": np.array([p[0] for p in parents]),
        "parent2": np.array([p[1] for p in parents]),
        "other_language": np.array([e.other_language for e in ETHNICITIES]),
        "language_names": names,
        "language_cum": cum,
    }


def _given_names(rng: np.random.Generator, group: np.ndarray, kind: np.ndarray) -> np.ndarray:
    lists = [[names.split() for names in by_kind] for by_kind in GIVEN_NAMES]
    width = max(len(names) for by_kind in lists for names in by_kind)
    table = np.full((len(lists), 4, width), "", dtype="U12")
    lengths = np.zeros((len(lists), 4), dtype=np.int64)
    for g, by_kind in enumerate(lists):
        for k, names in enumerate(by_kind):
            table[g, k, : len(names)] = names
            lengths[g, k] = len(names)
    pick = (rng.random(group.size) * lengths[group, kind]).astype(np.int64)
    names_picked: np.ndarray = table[group, kind, pick]
    return names_picked


def _children(rng: np.random.Generator, children: int) -> dict[str, np.ndarray]:
    """Families with children: sizes, twins, and each birth's age (youngest first)."""
    sizes = rng.choice(np.arange(1, len(SIBLINGS) + 1), size=children, p=np.asarray(SIBLINGS) / sum(SIBLINGS))
    cum = np.cumsum(sizes)
    families = int(np.searchsorted(cum, children)) + 1
    sizes = sizes[:families].copy()
    sizes[-1] -= cum[families - 1] - children
    twins = (sizes >= 2) & (rng.random(families) < TWIN_SHARE)
    births = sizes - twins
    birth_family = np.repeat(np.arange(families), births)
    rank = _ranks(births)
    # Uniform ages with at least BIRTH_GAP_DAYS between births: sort uniform draws within
    # each family over a shortened range, then space them out.
    draws = rng.random(birth_family.size)
    draws = draws[np.lexsort((draws, birth_family))]
    room = MAX_AGE_DAYS - MIN_AGE_DAYS - (births[birth_family] - 1) * BIRTH_GAP_DAYS
    age = MIN_AGE_DAYS + (draws * (room + 1)).astype(np.int64) + rank * BIRTH_GAP_DAYS
    per_birth = 1 + (twins[birth_family] & (rank == 0))
    child_birth = np.repeat(np.arange(birth_family.size), per_birth)
    first = np.cumsum(births) - births
    return {
        "sizes": sizes,
        "birth_family": birth_family,
        "birth_age": age,
        "child_birth": child_birth,
        "youngest": age[first],
        "oldest": age[first + births - 1],
    }


def _adult_age(
    rng: np.random.Generator, base: np.ndarray, mean: float, sd: float, low: float, high: float
) -> np.ndarray:
    age = base + rng.normal(mean * YEAR, sd * YEAR, base.size)
    return np.clip(np.rint(age), low, high).astype(np.int64)


def _addresses(rng: np.random.Generator, lsoa: np.ndarray, team: np.ndarray, n_fam: int) -> dict[str, np.ndarray]:
    """Address, postcode (one sector per LSOA), phone, GP practice (one per team) and alerts per family."""
    areas = np.array(POSTCODE_AREAS)[team % len(POSTCODE_AREAS)]
    district = (lsoa % 29 + 1).astype("U2")
    sector = (lsoa // 29 % 10).astype("U1")
    unit = np.strings.add(INWARD_LETTERS[rng.integers(0, 20, n_fam)], INWARD_LETTERS[rng.integers(0, 20, n_fam)])
    postcode = np.strings.add(np.strings.add(np.strings.add(areas, district), " "), np.strings.add(sector, unit))
    street = np.strings.add(
        np.strings.add(STREETS[rng.integers(0, STREETS.size, n_fam)], " "),
        STREET_KINDS[rng.integers(0, STREET_KINDS.size, n_fam)],
    )
    house = (rng.integers(1, 200, n_fam)).astype("U3")
    phone = np.strings.add("07700900", np.strings.zfill(rng.integers(0, 1000, n_fam).astype("U3"), 3))
    phone[rng.random(n_fam) < NO_PHONE_SHARE] = ""
    alert = np.full(n_fam, "", dtype="U12")
    draw = rng.random(n_fam)
    low = 0.0
    for kind, share in ALERT_SHARE.items():
        alert[(draw >= low) & (draw < low + share)] = kind
        low += share
    return {
        "address_line_1": np.strings.add(np.strings.add(house, " "), street),
        "town": np.array(TOWNS)[team % len(TOWNS)],
        "postcode": postcode,
        "phone": phone,
        "gp_practice_code": np.strings.add("Z", np.strings.zfill((90001 + team).astype("U5"), 5)),
        "gp_practice_name": np.strings.add("Demo Surgery ", (team + 1).astype("U3")),
        "alert": alert,
    }


def generate(
    *,
    seed: int = 1,
    children: int = 2500,
    today: dt.date | None = None,
    teams: int = 2,
    team_shares: Sequence[float] | None = None,
) -> Population:
    """A population with exactly ``children`` children aged 0-5, spread over ``teams`` teams."""
    if not 1 <= children <= MAX_CHILDREN:
        raise ValueError(f"children must be from 1 to {MAX_CHILDREN:,}")
    if teams < 1 or (team_shares is not None and len(team_shares) != teams):
        raise ValueError("give one share per team")
    today = today or dt.date.today()
    t0 = np.datetime64(today, "D")
    rng = np.random.default_rng(seed)
    eth = _ethnic_tables()

    kids = _children(rng, children)
    sizes = kids["sizes"]
    n_cf = sizes.size
    first_time = round(n_cf * PREGNANT_SHARE * FIRST_PREGNANCY_SHARE / (1 - PREGNANT_SHARE * FIRST_PREGNANCY_SHARE))
    n_fam = n_cf + first_time
    n_kids = np.concatenate([sizes, np.zeros(first_time, dtype=np.int64)])
    youngest = np.concatenate([kids["youngest"], np.full(first_time, -1)])

    # Ongoing pregnancies: conception at least ~3 months after the youngest child's birth.
    expecting = _pick_exactly(
        rng, youngest >= BIRTH_GAP_DAYS - GESTATION_DAYS, round(n_fam * PREGNANT_SHARE) - first_time
    )
    earliest = np.maximum(1, BIRTH_GAP_DAYS - youngest[expecting])
    ongoing_family = np.concatenate([expecting, np.arange(n_cf, n_fam)])
    earliest = np.concatenate([earliest, np.ones(first_time, dtype=np.int64)])
    ongoing_edd = earliest + (rng.random(earliest.size) * (GESTATION_DAYS - earliest + 1)).astype(np.int64)
    pregnant = np.zeros(n_fam, dtype=bool)
    pregnant[ongoing_family] = True

    # Losses in the last six months, in families not pregnant again, youngest child 18 months+.
    loss_family = _pick_exactly(rng, ~pregnant & (youngest >= 540), round(n_fam * LOSS_SHARE))
    loss_date = -1 - rng.integers(0, 180, loss_family.size)
    loss_edd = loss_date + (40 - rng.integers(6, 24, loss_family.size)) * 7

    # Live births in the last year: one pregnancy per birth (twins share one).
    births_under_1 = np.flatnonzero(kids["birth_age"] < 365)
    lb_dob = -kids["birth_age"][births_under_1]
    lb_edd = lb_dob + np.clip(np.rint(rng.normal(0, 9, births_under_1.size)), -21, 21).astype(np.int64)
    birth_pregnancy = np.full(kids["birth_age"].size, -1)
    birth_pregnancy[births_under_1] = np.arange(births_under_1.size)

    # Place: team, LSOA (with its deprivation decile), local authority.
    shares = np.ones(teams) if team_shares is None else np.asarray(team_shares, dtype=float)
    team = _choose(rng, shares, n_fam)
    per_team = max(8, -(-children // (teams * CHILDREN_PER_LSOA)))
    lsoa_codes = np.strings.add("E01", (900_000 + rng.choice(100_000, teams * per_team, replace=False)).astype("U6"))
    lsoa_decile = _choose(rng, IMD_DECILE_SHARE, teams * per_team) + 1
    lsoa = team * per_team + rng.integers(0, per_team, n_fam)
    decile = lsoa_decile[lsoa]

    # Service level, more UP/UPP in deprived deciles; safeguarding skewed to UPP.
    up_weight, upp_weight = np.exp(-0.2 * (decile - 1)), np.exp(-0.3 * (decile - 1))
    p_upp = PARTNERSHIP_PLUS * upp_weight / upp_weight.mean()
    p_up = UNIVERSAL_PLUS * up_weight / up_weight.mean()
    draw = rng.random(n_fam)
    level = np.where(draw < p_upp, 2, np.where(draw < p_upp + p_up, 1, 0))
    draw = rng.random(n_fam)
    cp = np.asarray(CHILD_PROTECTION)[level]
    safeguarding = np.where(draw < cp, "cp", np.where(draw < cp + np.asarray(CHILD_IN_NEED)[level], "cin", "none"))

    # Ethnicity (children's category; mixed families have parents of two categories), language.
    child_eth = _choose(rng, eth["share"], n_fam)
    swap = rng.random(n_fam) < 0.5
    mother_eth = np.where(swap, eth["parent2"][child_eth], eth["parent1"][child_eth])
    partner_eth = np.where(swap, eth["parent1"][child_eth], eth["parent2"][child_eth])
    other_language = rng.random(n_fam) < eth["other_language"][mother_eth]
    which = (rng.random(n_fam)[:, None] >= eth["language_cum"][mother_eth]).sum(axis=1)
    language = np.where(other_language, eth["language_names"][mother_eth, which], "English")
    interpreter = other_language & (rng.random(n_fam) < INTERPRETER_SHARE)

    # Events bounding the mother's childbearing: she is 18-45 at each birth and EDD.
    oldest_event = np.concatenate([-kids["oldest"], ongoing_edd[expecting.size :]])
    youngest_event = np.concatenate([-kids["youngest"], ongoing_edd[expecting.size :]])
    youngest_event[expecting] = ongoing_edd[: expecting.size]
    youngest_event[loss_family] = np.maximum(youngest_event[loss_family], loss_date)
    age = rng.normal((27.5 + 0.55 * (decile - 1)) * YEAR, 5.3 * YEAR)
    age = np.where(age < MOTHER_MIN_DAYS, 2 * MOTHER_MIN_DAYS - age, age)  # reflect, no pile-up at 18
    mother_age = np.clip(np.rint(age), MOTHER_MIN_DAYS, MOTHER_MAX_DAYS - (youngest_event - oldest_event))
    mother_age = mother_age.astype(np.int64)

    # Second adults (father 0, male partner 1, female partner 2) and other carers (grandparent 0, other 1).
    second_family = np.flatnonzero(rng.random(n_fam) < SECOND_ADULT_SHARE)
    second_kind = _choose(rng, SECOND_ADULT_KINDS, second_family.size)
    second_age = np.where(
        second_kind == 2,
        _adult_age(rng, mother_age[second_family], 0, 4, MOTHER_MIN_DAYS, 60 * YEAR),
        _adult_age(rng, mother_age[second_family], 2.7, 4.5, MOTHER_MIN_DAYS, 60 * YEAR),
    )
    other_family = np.flatnonzero(rng.random(n_fam) < OTHER_CARER_SHARE)
    other_kind = _choose(rng, OTHER_CARER_KINDS, other_family.size)
    other_age = np.where(
        other_kind == 0,
        _adult_age(rng, mother_age[other_family], 26, 4, 36 * YEAR, 80 * YEAR),
        _adult_age(rng, mother_age[other_family], 0, 6, MOTHER_MIN_DAYS, 70 * YEAR),
    )

    # Family names: a father's name is the family's; mothers keep their own name sometimes.
    surname = rng.integers(0, SURNAMES.size, n_fam)
    own_surname = rng.integers(0, SURNAMES.size, n_fam)
    has_father = np.zeros(n_fam, dtype=bool)
    has_father[second_family[second_kind == 0]] = True
    mother_surname = np.where(has_father & (rng.random(n_fam) < 0.45), own_surname, surname)
    child_surname = np.where(rng.random(n_fam) < 0.85, surname, mother_surname)
    second_surname = np.where(
        second_kind == 0, surname[second_family], rng.integers(0, SURNAMES.size, second_family.size)
    )
    other_surname = np.where(
        (other_kind == 0) & (rng.random(other_family.size) < 0.5),
        mother_surname[other_family],
        rng.integers(0, SURNAMES.size, other_family.size),
    )

    # People: mothers (row = family index), second adults, other carers, then children.
    child_family = kids["birth_family"][kids["child_birth"]]
    child_age = kids["birth_age"][kids["child_birth"]]
    girl = rng.random(children) < 0.488
    n_second, n_other = second_family.size, other_family.size
    fam = np.concatenate([np.arange(n_fam), second_family, other_family, child_family])
    role = np.concatenate(
        [
            np.full(n_fam, "birthing_parent"),
            np.array(["father", "partner", "partner"])[second_kind],
            np.full(n_other, "other_carer"),
            np.full(children, "infant"),
        ]
    )
    sex = np.concatenate(
        [
            np.full(n_fam, "F"),
            np.array(["M", "M", "F"])[second_kind],
            np.where(rng.random(n_other) < np.where(other_kind == 0, 0.7, 0.6), "F", "M"),
            np.where(girl, "F", "M"),
        ]
    )
    ethnic = np.concatenate([mother_eth, partner_eth[second_family], mother_eth[other_family], child_eth[child_family]])
    kind = np.concatenate(
        [
            np.full(n_fam, WOMAN),
            np.where(sex[n_fam : n_fam + n_second + n_other] == "F", WOMAN, MAN),
            np.where(girl, GIRL, BOY),
        ]
    )
    surname_index = np.concatenate([mother_surname, second_surname, other_surname, child_surname[child_family]])
    dob = np.concatenate(
        [
            oldest_event - mother_age,
            oldest_event[second_family] - second_age,
            oldest_event[other_family] - other_age,
            -child_age,
        ]
    )
    needs_number = np.concatenate(
        [
            np.ones(n_fam, dtype=bool),
            rng.random(n_second) >= NO_NHS_NUMBER["second"],
            rng.random(n_other) >= NO_NHS_NUMBER["other"],
            np.ones(children, dtype=bool),
        ]
    )
    nhs = np.full(fam.size, "", dtype="U10")
    nhs[needs_number] = nhs_numbers(rng, int(needs_number.sum()))
    people = {
        "family": fam,
        "role": role,
        "nhs_number": nhs,
        "given_name": _given_names(rng, eth["names"][ethnic], kind),
        "family_name": SURNAMES[surname_index],
        "date_of_birth": t0 + dob.astype("timedelta64[D]"),
        "sex": sex,
        "ethnic_category": eth["code"][ethnic],
        "pregnancy": np.concatenate([np.full(fam.size - children, -1), birth_pregnancy[kids["child_birth"]]]),
    }

    pregnancies = {
        "family": np.concatenate([kids["birth_family"][births_under_1], ongoing_family, loss_family]),
        "edd": t0 + np.concatenate([lb_edd, ongoing_edd, loss_edd]).astype("timedelta64[D]"),
        "outcome": np.repeat(["live_birth", "ongoing", "loss"], [lb_edd.size, ongoing_edd.size, loss_edd.size]),
        "outcome_date": np.concatenate(
            [
                t0 + lb_dob.astype("timedelta64[D]"),
                np.full(ongoing_edd.size, np.datetime64("NaT"), dtype="datetime64[D]"),
                t0 + loss_date.astype("timedelta64[D]"),
            ]
        ),
    }
    pregnancies["mother"] = pregnancies["family"].copy()  # mothers are the first n_fam people

    # Relationships: every adult to every child of the family.
    first_child = n_fam + n_second + n_other + np.cumsum(n_kids) - n_kids
    adult_family = fam[: n_fam + n_second + n_other]
    adult_kind = np.concatenate(
        [
            np.full(n_fam, "birth_mother"),
            np.array(["father", "step_parent", "other_parent"])[second_kind],
            np.array(["grandparent", "other"])[other_kind],
        ]
    )
    repeat = n_kids[adult_family]
    relationships = {
        "adult": np.repeat(np.arange(adult_family.size), repeat),
        "child": np.repeat(first_child[adult_family], repeat) + _ranks(repeat),
        "kind": np.repeat(adult_kind, repeat),
    }

    # Registration (booking at 12-20 weeks of the first pregnancy known) and service-level history.
    registered = np.minimum(0, oldest_event - GESTATION_DAYS + 84 + rng.integers(0, 57, n_fam))
    escalated = np.flatnonzero((level > 0) & (registered < 0) & (rng.random(n_fam) < ESCALATED_SHARE))
    changed = registered[escalated] + 1 + (rng.random(escalated.size) * -registered[escalated]).astype(np.int64)
    first_level = level.copy()
    first_level[escalated] = 0
    service_level_changes = {
        "family": np.concatenate([np.arange(n_fam), escalated]),
        "level": LEVELS[np.concatenate([first_level, level[escalated]])],
        "effective_from": t0 + np.concatenate([registered, changed]).astype("timedelta64[D]"),
        "reason": np.repeat(["Registered", "Additional needs identified"], [n_fam, escalated.size]),
    }

    address = _addresses(rng, lsoa, team, n_fam)
    families = {
        **address,
        "reference": np.strings.add("D", np.strings.zfill((rng.permutation(n_fam) + 1).astype("U7"), 7)),
        "team": team,
        "alloc": rng.random(n_fam),  # the loader maps it to a health visitor of the team
        "service_level": LEVELS[level],
        "safeguarding": safeguarding,
        "lsoa_code": lsoa_codes[lsoa],
        "imd_decile": decile,
        "local_authority_code": np.array([local_authority_code(t) for t in range(teams)])[team],
        "language": language,
        "interpreter_needed": interpreter,
        "registered": t0 + registered.astype("timedelta64[D]"),
        "children": n_kids,
    }
    return Population(
        seed=seed,
        today=today,
        families=families,
        people=people,
        pregnancies=pregnancies,
        relationships=relationships,
        service_level_changes=service_level_changes,
    )
