"""``pimh synth``: a synthetic national snapshot (``pimh-snapshot/1``) built with numpy and pyarrow.

About 150 upper-tier local authorities (synthetic codes), three teams each, children aged 0-5 at the
extract date with twins, deaths, moves in and out, mandated reviews timed so that the national figures
land near the England values of data-standards.md section 1 (C2 85.2%, C2+C3 98.0%, C5 88.4%,
C6i 80.8%, C8i 81.8%, breastfeeding 52.7%), with local-authority, deprivation and ethnicity gradients,
non-attendance and telephone contacts, fathers screened less often than mothers, and referrals with
age-criteria declines. Everything is vectorised: no database, no Python loop over people.
Pure: no Django. Nothing here describes a real person.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from pimh.analytics import snapshot

Progress = Callable[[str, float], None]
EPOCH = dt.date(1970, 1, 1)
DEFAULT_EXTRACT = dt.date(2026, 11, 23)
LOCAL_AUTHORITIES = 150
TEAMS_PER_LA = 3

# NHS ethnic category codes, England-like shares, and the ONS group of each (0 White ... 4 Other, 5 unknown).
ETHNIC_CODES = ["A", "B", "C", "D", "E", "F", "G", "H", "J", "K", "L", "M", "N", "P", "R", "S", "Z", "99"]
ETHNIC_SHARE = np.array([62, 1, 7, 1.5, 1, 1.5, 1.5, 4, 5, 2, 2, 2, 2.5, 0.5, 0.8, 3.2, 1.5, 1.0])
ETHNIC_GROUP = np.array([0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 4, 4, 5, 5])
CONTACT_TYPES = ["antenatal", "new_birth_visit", "six_to_eight_week", "twelve_month", "two_to_two_and_half_year",
                 "additional", "listening_visit", "transfer_in", "other"]  # fmt: skip
SERVICE_LEVELS = ["community", "universal", "universal_plus", "universal_partnership_plus"]
SERVICE_KINDS = ["gp", "talking_therapies", "perinatal_mh_team", "mother_baby_unit", "parent_infant_team", "camhs",
                 "specialist_hv", "social_care", "other"]  # fmt: skip
DOMAINS = ["communication", "gross_motor", "fine_motor", "problem_solving", "personal_social"]


def _days(date: dt.date) -> int:
    return (date - EPOCH).days


def _expit(x: np.ndarray) -> np.ndarray:
    result: np.ndarray = 1.0 / (1.0 + np.exp(-x))
    return result


def calibrated(target: float, offset: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Per-unit probabilities expit(b + offset) whose mean is ``target`` (b found by bisection)."""
    sample = offset if offset.size <= 200_000 else rng.choice(offset, 200_000)
    low, high = -12.0, 12.0
    for _ in range(40):
        mid = (low + high) / 2
        low, high = (mid, high) if _expit(mid + sample).mean() < target else (low, mid)
    return _expit((low + high) / 2 + offset)


def _codes(values: list[str], index: np.ndarray) -> pa.DictionaryArray:
    return pa.DictionaryArray.from_arrays(pa.array(index.astype(np.int32)), pa.array(values))


_FOUR_DIGITS = np.frombuffer("".join(f"{i:04d}" for i in range(10_000)).encode(), np.uint32)


def _ids(prefix: str, numbers: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    """Identifiers of 12 characters (a 4-character prefix, 8 digits) built straight into Arrow buffers."""
    n = numbers.size
    words = np.empty((n, 3), np.uint32)
    words[:, 0] = np.frombuffer(prefix.encode(), np.uint32)[0]
    value = np.maximum(numbers, 0).astype(np.int32)
    words[:, 1] = _FOUR_DIGITS[value // 10_000]
    words[:, 2] = _FOUR_DIGITS[value % 10_000]
    offsets = np.arange(0, (n + 1) * 12, 12, dtype=np.int32)
    validity = None if mask is None else pa.array(~mask).buffers()[1]
    nulls = 0 if mask is None else int(mask.sum())
    return pa.Array.from_buffers(
        pa.string(), n, [validity, pa.py_buffer(offsets), pa.py_buffer(words)], null_count=nulls
    )


def _dates(days: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    return pa.array(days.astype(np.int32), type=pa.date32(), mask=mask)


class _Contacts:
    """Contact rows collected in numpy pieces, then one Arrow table."""

    def __init__(self) -> None:
        self.parts: list[dict[str, np.ndarray]] = []

    def add(self, kind: int, child: np.ndarray, day: np.ndarray, rng: np.random.Generator, *,
            pregnancy: np.ndarray | None = None, f2f: float = 0.965, dna: float = 0.05,
            earliest: np.ndarray | None = None) -> None:  # fmt: skip
        """Add attended contacts (most face to face) plus a did-not-attend row a few days before some."""
        n = child.size
        mech = np.where(rng.random(n) < f2f, 0, np.where(rng.random(n) < 0.75, 1, 2))  # 01, 02, 11
        attendance = np.where(rng.random(n) < 0.95, 0, 1)  # 5 on time, 6 late but seen
        self.parts.append({"kind": np.full(n, kind), "child": child, "day": day, "mech": mech, "att": attendance,
                           "preg": pregnancy if pregnancy is not None else np.full(n, -1)})  # fmt: skip
        missed = rng.random(n) < dna
        m = int(missed.sum())
        self.parts.append({"kind": np.full(m, kind), "child": child[missed], "day": np.maximum(day[missed] - rng.integers(2, 8, m), -10**6 if earliest is None else earliest[child[missed]]),
                           "mech": np.zeros(m, int), "att": rng.choice([2, 3, 4, 5], m, p=[0.7, 0.1, 0.1, 0.1]),
                           "preg": np.full(m, -1) if pregnancy is None else pregnancy[missed]})  # fmt: skip

    def table(self, teams: np.ndarray) -> tuple[pa.Table, dict[str, np.ndarray]]:
        cols: dict[str, np.ndarray] = {
            key: np.concatenate([p[key] for p in self.parts]).astype(np.int32) for key in self.parts[0]
        }
        self.parts.clear()
        n = cols["child"].size
        cols["id"] = np.arange(n)
        child_missing = cols["child"] < 0
        team = teams[np.where(child_missing, 0, cols["child"])]
        table = pa.table({
            "contact_id": _ids("CON-", cols["id"]),
            "contact_type": _codes(CONTACT_TYPES, cols["kind"]),
            "contact_date": _dates(cols["day"]),
            "child_id": _ids("CHD-", cols["child"], child_missing),
            "pregnancy_id": _ids("PRG-", cols["preg"], cols["preg"] < 0),
            "mechanism": _codes(["01", "02", "11"], cols["mech"]),
            "attendance": _codes(["5", "6", "3", "2", "4", "7"], cols["att"]),
            "location": _codes(["A01", "A02"], (cols["kind"] >= 5).astype(int)),
            "team_id": _codes([f"T{i:04d}" for i in range(teams.max() + 1)], team),
            "practitioner_id": _codes([f"S{i:05d}" for i in range(10 * (teams.max() + 1))], team * 10 + cols["id"] % 10),
            "duration_minutes": pa.array((30 + cols["id"] % 61).astype(np.int32)),
        })  # fmt: skip
        return table, cols


def synthesise(
    out: Path | str, *, children: int, seed: int, extract_date: dt.date = DEFAULT_EXTRACT,
    progress: Progress | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Write a synthetic national snapshot of ``children`` children to ``out``; return the manifest."""
    started = time.monotonic()
    say: Progress = progress or (lambda step, fraction: None)
    rng = np.random.default_rng(seed)
    today = _days(extract_date)
    n_la = LOCAL_AUTHORITIES

    # ---- local authorities: size, performance, deprivation, diversity -------------------------------
    say("local authorities", 0.02)
    la_weight = rng.lognormal(0, 0.6, n_la)
    la_perf = rng.normal(0, 1, n_la)
    la_perf[rng.choice(n_la, 2, replace=False)] = -3.5  # a couple of outliers, as in the published spread
    la_dep = rng.uniform(2.5, 8.5, n_la)
    la_div = rng.beta(1.2, 4, n_la)
    la_extra = rng.lognormal(0.3, 0.6, n_la)  # additional contacts per child-year

    # ---- deliveries and children (twins share a delivery) ---------------------------------------------
    say("children", 0.05)
    pairs = round(children * 0.0075)
    deliveries = children - pairs
    twin = np.zeros(deliveries, bool)
    twin[rng.choice(deliveries, pairs, replace=False)] = True
    d_la = rng.choice(n_la, deliveries, p=la_weight / la_weight.sum())
    d_team = d_la * TEAMS_PER_LA + rng.integers(0, TEAMS_PER_LA, deliveries)
    d_dob = today - rng.integers(0, 5 * 365 + 1, deliveries)
    d_imd = np.clip(np.rint(la_dep[d_la] + rng.normal(0, 2.2, deliveries)), 1, 10).astype(int)
    d_imd[rng.random(deliveries) < 0.02] = 0
    share = np.tile(ETHNIC_SHARE, (n_la, 1))
    share[:, 0] *= 1 - 0.8 * la_div
    cum = np.cumsum(share / share.sum(1, keepdims=True), 1)
    d_eth = (rng.random(deliveries)[:, None] > cum[d_la]).sum(1)
    d_moved_in = rng.random(deliveries) < 0.08
    d_from = np.where(d_moved_in, d_dob + (rng.random(deliveries) * (today - d_dob)).astype(int), d_dob)
    d_moved_out = rng.random(deliveries) < 0.07
    d_to = np.where(d_moved_out, d_from + 1 + (rng.random(deliveries) * (today - d_from)).astype(int), -1)
    d_to[d_to > today] = -1
    d_gest = np.where(rng.random(deliveries) < 0.07, rng.integers(28, 37, deliveries), rng.integers(37, 43, deliveries))
    d_gest = np.where(twin, np.minimum(d_gest, rng.integers(32, 38, deliveries)), d_gest)
    d_level = np.clip(rng.choice(4, deliveries, p=[0.05, 0.6, 0.25, 0.1]) + (d_imd <= 2) * (rng.random(deliveries) < 0.3), 0, 3)  # fmt: skip

    delivery = np.repeat(np.arange(deliveries), 1 + twin)
    dob, la, team, imd, eth = d_dob[delivery], d_la[delivery], d_team[delivery], d_imd[delivery], d_eth[delivery]
    r_from, r_to = d_from[delivery], d_to[delivery]
    group = ETHNIC_GROUP[eth]
    dies = rng.random(children) < 0.0035
    death = np.where(dies, dob + rng.exponential(150, children).astype(int), -1)
    death[death > today] = -1
    end = np.minimum.reduce([np.full(children, today), np.where(r_to < 0, today, r_to - 1), np.where(death < 0, today, death)])  # fmt: skip
    # The propensity of a child's family to be seen: local authority, deprivation, ethnic group.
    offset = 0.55 * la_perf[la] + 0.07 * (np.where(imd == 0, 5, imd) - 5.5) + np.array([0, -0.15, -0.2, -0.25, -0.25, -0.5])[group]  # fmt: skip

    contacts = _Contacts()

    def review(kind: int, target: float, on_time: tuple[int, int], late: tuple[int, int], p_late: float,
               f2f: float = 0.965) -> None:  # fmt: skip
        """Attended reviews: on time with probability ``target`` (face to face), else late or never."""
        p = calibrated(min(target / f2f, 0.999), offset, rng)
        u = rng.random(children)
        day = np.where(u < p, dob + rng.integers(*on_time, children), -1)
        day = np.where((u >= p) & (rng.random(children) < p_late), dob + rng.integers(*late, children), day)
        keep = (day >= 0) & (day >= r_from) & (day <= end)
        contacts.add(kind, np.flatnonzero(keep), day[keep], rng, earliest=dob, f2f=f2f)

    say("new birth visits", 0.10)
    review(1, 0.852, (5, 15), (15, 28), 0.97, f2f=0.99)
    say("6-8 week reviews", 0.15)
    review(2, 0.818, (42, 57), (57, 91), 0.95)
    say("12-month reviews", 0.20)
    early = rng.random(children) < 0.03  # a few 12-month reviews brought forward to 8 months
    review(3, 0.76, (275, 366), (366, 458), 0.75)
    e_child = np.flatnonzero(early & (dob + 250 <= end))
    contacts.add(3, e_child, dob[e_child] + rng.integers(240, 270, e_child.size), rng, earliest=dob)
    say("2-2½ year reviews", 0.25)
    review(4, 0.815, (700, 913), (913, 1000), 0.4)

    # ---- additional contacts ---------------------------------------------------------------------------
    say("additional contacts", 0.30)
    span = np.maximum(end - r_from, 0)
    count = rng.poisson(0.45 * la_extra[la] * (0.4 + span / 365.25) * np.where(d_level[delivery] >= 2, 2.0, 0.6))
    a_child = np.repeat(np.arange(children), count)
    a_day = r_from[a_child] + (rng.random(a_child.size) * (span[a_child] + 1)).astype(int)
    contacts.add(5, a_child, a_day, rng, f2f=0.85, dna=0.08, earliest=r_from)

    # ---- pregnancies and antenatal contacts ----------------------------------------------------------------
    say("pregnancies", 0.38)
    d_edd = d_dob + (40 - d_gest) * 7 + rng.integers(-3, 4, deliveries)
    ongoing = round(deliveries / 5 * 0.7)
    o_edd = today + rng.integers(1, 281, ongoing)
    o_la = rng.choice(n_la, ongoing, p=la_weight / la_weight.sum())
    o_team = o_la * TEAMS_PER_LA + rng.integers(0, TEAMS_PER_LA, ongoing)
    preg_edd = np.concatenate([d_edd, o_edd])
    preg_team = np.concatenate([d_team, o_team])
    n_preg = preg_edd.size
    preg_offset = 0.55 * la_perf[preg_team // TEAMS_PER_LA]
    p_ante = calibrated(0.72, preg_offset, rng)
    seen = rng.random(n_preg) < p_ante
    a_day = preg_edd - 280 + rng.integers(175, 253, n_preg)  # mostly at 28 weeks or later, some earlier
    birth_day = np.concatenate([d_dob, np.full(ongoing, today + 1)])
    keep = seen & (a_day < birth_day) & (a_day <= today)
    a_preg = np.flatnonzero(keep)
    contacts.add(0, np.full(a_preg.size, -1), a_day[keep], rng, pregnancy=a_preg)

    # ---- contacts table ---------------------------------------------------------------------------------------
    say("contacts table", 0.45)
    writer = snapshot.SnapshotWriter(out, producer="pimh synth", source=f"synthetic seed {seed}",
                                     extract_date=extract_date, coverage="england")  # fmt: skip
    contact_table, ccols = contacts.table(np.concatenate([team, [0]]))
    n_contacts = contact_table.num_rows
    kind, cchild, cday = ccols["kind"], ccols["child"], ccols["day"]
    # ASQ-3 at 2-2½ year reviews; breastfeeding status at 6-8 week reviews.
    asq_used = (kind == 4) & (ccols["att"] <= 1) & (rng.random(n_contacts) < 0.92)
    bf_offset = 0.2 * (np.where(imd == 0, 5, imd) - 5.5) + np.array([0, 0.4, 0.8, 1.0, 0.7, 0])[group]
    p_bf = calibrated(0.527, bf_offset, rng)
    bf = np.where(rng.random(n_contacts) < p_bf[np.maximum(cchild, 0)], 0, 2)
    bf = np.where(bf == 0, rng.choice([0, 1], n_contacts, p=[0.6, 0.4]), bf)
    bf_recorded = (kind == 2) & (ccols["att"] <= 1) & (rng.random(n_contacts) < 0.997)
    contact_table = contact_table.append_column(
        "asq3_used", pa.array(np.where(kind == 4, asq_used, False), mask=kind != 4)
    )
    contact_table = contact_table.append_column(
        "breastfeeding_status", pa.DictionaryArray.from_arrays(pa.array(bf.astype(np.int32), mask=~bf_recorded), pa.array(["01", "02", "03"]))
    )  # fmt: skip
    say("writing contacts", 0.50)
    writer.add("contacts", contact_table)
    del contact_table

    # ---- ASQ-3 scores ------------------------------------------------------------------------------------------
    say("ASQ-3 scores", 0.52)
    asq_contact = np.flatnonzero(asq_used)
    asq_child = cchild[asq_contact]
    age_months = (cday[asq_contact] - dob[asq_child]) / 30.44
    interval = np.where(age_months < 25.5, 24, np.where(age_months < 28.5, 27, 30))
    s_contact = np.repeat(asq_contact, 5)
    s_domain = np.tile(np.arange(5), asq_contact.size)
    level = rng.normal(46, 11, s_contact.size) + 3 * offset[np.repeat(asq_child, 5)]
    score = (np.clip(np.rint(level / 5), 0, 12) * 5).astype(np.int32)
    asq_table = pa.table({
        "contact_id": _ids("CON-", s_contact), "child_id": _ids("CHD-", np.repeat(asq_child, 5)),
        "interval_months": pa.array(np.repeat(interval, 5).astype(np.int32)), "domain": _codes(DOMAINS, s_domain),
        "score": pa.array(score),
    })  # fmt: skip
    writer.add("asq3_scores", asq_table)
    del asq_table, s_contact, s_domain, level, score

    # ---- parents ---------------------------------------------------------------------------------------------------
    say("parents", 0.58)
    has_father = rng.random(deliveries) < 0.82
    father_role = np.where(rng.random(deliveries) < 0.93, 1, 2)  # father, partner
    preg_parent = np.concatenate([np.arange(deliveries), deliveries + np.arange(ongoing)])  # mother per pregnancy
    n_mothers = deliveries + ongoing
    father_of = np.flatnonzero(has_father)
    father_id = n_mothers + np.arange(father_of.size)
    parent_role = np.concatenate([np.zeros(n_mothers, int), father_role[father_of]])
    parent_eth = np.concatenate([d_eth, rng.choice(len(ETHNIC_CODES), ongoing, p=ETHNIC_SHARE / ETHNIC_SHARE.sum()), d_eth[father_of]])  # fmt: skip
    parent_la = np.concatenate([d_la, o_la, d_la[father_of]])
    parents = pa.table({
        "parent_id": _ids("PAR-", np.arange(parent_role.size)), "role": _codes(["birthing_parent", "father", "partner"], parent_role),
        "ethnic_category": _codes(ETHNIC_CODES, parent_eth), "local_authority": _codes(_la_codes(), parent_la),
    })  # fmt: skip
    father_of_delivery = np.full(deliveries, -1)
    father_of_delivery[father_of] = father_id
    child_father = father_of_delivery[delivery]
    with_father = np.flatnonzero(child_father >= 0)
    pc_parent = np.concatenate([delivery, child_father[with_father]])
    pc_child = np.concatenate([np.arange(children), with_father])
    pc_rel = np.concatenate([np.zeros(children, int), parent_role[child_father[with_father]]])
    writer.add("parents", parents)
    writer.add("parent_child", pa.table({"parent_id": _ids("PAR-", pc_parent), "child_id": _ids("CHD-", pc_child),
                                         "relationship": _codes(["mother", "father", "partner"], pc_rel)}))  # fmt: skip
    del parents, pc_parent, pc_child, pc_rel

    # ---- screens: Whooley (and GAD-2) at antenatal, NBV, 6-8 week and 12-month contacts ------------------------
    say("screens", 0.64)
    contact_parent = np.where(kind == 0, np.where(ccols["preg"] >= 0, preg_parent[np.maximum(ccols["preg"], 0)], -1), delivery[np.maximum(cchild, 0)])  # fmt: skip
    asked_at = np.isin(kind, [0, 1, 2, 3]) & (ccols["att"] <= 1)
    la_of_contact = np.where(kind == 0, preg_team[np.maximum(ccols["preg"], 0)] // TEAMS_PER_LA, la[np.maximum(cchild, 0)])  # fmt: skip
    p_ask = calibrated(0.78, 0.6 * la_perf[la_of_contact], rng)
    mother_screens = np.flatnonzero(asked_at & (rng.random(n_contacts) < p_ask))
    fathered = asked_at & (kind > 0) & (child_father[np.maximum(cchild, 0)] >= 0)
    father_screens = np.flatnonzero(fathered & (rng.random(n_contacts) < p_ask * 0.35))
    sc_contact = np.concatenate([mother_screens, father_screens])
    sc_parent = np.concatenate([contact_parent[mother_screens], child_father[cchild[father_screens]]])
    sc_role = np.concatenate([np.zeros(mother_screens.size, int), parent_role[child_father[cchild[father_screens]]]])
    sc_child = cchild[sc_contact]
    sc_day = cday[sc_contact]
    n_w = sc_contact.size
    w_positive = rng.random(n_w) < calibrated(0.12, -0.08 * (np.where(imd[np.maximum(sc_child, 0)] == 0, 5, imd[np.maximum(sc_child, 0)]) - 5.5), rng)  # fmt: skip
    gad = rng.random(n_w) < 0.3
    g_idx = np.flatnonzero(gad)
    g_total = rng.choice(7, g_idx.size, p=[0.45, 0.2, 0.15, 0.09, 0.05, 0.04, 0.02])
    # Full assessments (EPDS) after positive screens: most within 14 days.
    pos = np.flatnonzero(w_positive)
    assessed = rng.random(pos.size) < 0.85
    lag = np.where(rng.random(pos.size) < 0.82, rng.integers(0, 15, pos.size), rng.integers(15, 45, pos.size))
    e_idx = pos[assessed & (sc_day[pos] + lag <= today)]
    e_day = sc_day[e_idx] + lag[assessed & (sc_day[pos] + lag <= today)]
    e_total = rng.integers(4, 25, e_idx.size)
    e_risk = rng.random(e_idx.size) < 0.06
    parts = [  # instrument, index into the Whooley rows, date, total, positive, risk flag
        (0, np.arange(n_w), sc_day, w_positive.astype(int), w_positive, np.full(n_w, -1)),
        (1, g_idx, sc_day[g_idx], g_total, g_total >= 3, np.full(g_idx.size, -1)),
        (2, e_idx, e_day, e_total, e_total >= 13, e_risk.astype(int)),
    ]
    instrument = np.concatenate([np.full(p[1].size, p[0]) for p in parts])
    row = np.concatenate([p[1] for p in parts])
    s_day = np.concatenate([p[2] for p in parts])
    s_total = np.concatenate([p[3] for p in parts]).astype(np.int32)
    s_pos = np.concatenate([p[4] for p in parts])
    s_risk = np.concatenate([p[5] for p in parts])
    s_child = sc_child[row]
    s_contact = np.where(instrument == 2, -1, sc_contact[row])
    screens = pa.table({
        "screen_id": _ids("SCR-", np.arange(row.size)), "parent_id": _ids("PAR-", sc_parent[row]),
        "parent_role": _codes(["birthing_parent", "father", "partner"], sc_role[row]),
        "child_id": _ids("CHD-", s_child, s_child < 0), "instrument": _codes(["whooley", "gad2", "epds"], instrument),
        "screen_date": _dates(s_day), "complete": pa.array(np.ones(row.size, bool)), "total": pa.array(s_total),
        "positive": pa.array(s_pos), "risk_item_flag": pa.array(s_risk == 1, mask=s_risk < 0),
        "contact_id": _ids("CON-", s_contact, s_contact < 0),
    })  # fmt: skip
    writer.add("screens", screens)
    del screens

    # ---- referrals -----------------------------------------------------------------------------------------------------
    say("referrals", 0.72)
    risk_rows = np.flatnonzero((instrument == 2) & (s_risk == 1))
    pos_rows = np.flatnonzero(s_pos & (instrument != 1) & (rng.random(row.size) < 0.35))
    infant_rows = np.flatnonzero((instrument == 0) & (s_child >= 0) & (rng.random(row.size) < 0.01))
    r_rows = np.concatenate([risk_rows, pos_rows, infant_rows])
    n_ref = r_rows.size
    same_day = np.concatenate([rng.random(risk_rows.size) < 0.8, np.zeros(pos_rows.size + infant_rows.size, bool)])
    sent = s_day[r_rows] + np.where(same_day, 0, rng.integers(1, 15, n_ref))
    kind_p = [[0.15, 0.4, 0.25, 0.02, 0.08, 0.0, 0.07, 0.01, 0.02], [0, 0, 0, 0, 0.45, 0.4, 0.15, 0, 0]]
    r_kind = np.concatenate([rng.choice(9, risk_rows.size + pos_rows.size, p=kind_p[0]), rng.choice(9, infant_rows.size, p=kind_p[1])])  # fmt: skip
    r_subject = np.concatenate([np.zeros(risk_rows.size + pos_rows.size, int), rng.choice([1, 2], infant_rows.size)])
    urgency = np.where(same_day, np.where(rng.random(n_ref) < 0.2, 0, 1), rng.choice(3, n_ref, p=[0.01, 0.14, 0.85]))
    r_child = s_child[r_rows]
    infant_age = sent - dob[np.maximum(r_child, 0)]
    age_decline = (r_kind == 5) & (infant_age < 730) & (rng.random(n_ref) < 0.6)
    ack = sent + np.where(rng.random(n_ref) < 0.85, rng.integers(0, 15, n_ref), rng.integers(15, 40, n_ref))
    decision = np.where(age_decline, 1, np.where(rng.random(n_ref) < 0.85, 0, np.where(rng.random(n_ref) < 0.7, 1, 2)))
    reason = np.where(age_decline, 0, rng.choice([1, 2, 3, 4], n_ref))
    decided = ack + rng.integers(0, 10, n_ref)
    first = sent + np.where(rng.random(n_ref) < 0.65, rng.integers(5, 43, n_ref), rng.integers(43, 90, n_ref))
    attended = rng.random(n_ref) < 0.85
    discharged = first + rng.integers(30, 200, n_ref)
    known = decision != 2
    referrals = pa.table({
        "referral_id": _ids("REF-", np.arange(n_ref)), "subject": _codes(["parent", "infant", "dyad"], r_subject),
        "parent_id": _ids("PAR-", sc_parent[row[r_rows]]), "child_id": _ids("CHD-", r_child, r_child < 0),
        "service_kind": _codes(SERVICE_KINDS, r_kind), "urgency": _codes(["emergency", "urgent", "routine"], urgency),
        "sent_on": _dates(sent), "acknowledged_on": _dates(ack, ack > today),
        "decision": pa.DictionaryArray.from_arrays(pa.array(decision.astype(np.int32), mask=~known | (decided > today)), pa.array(["accepted", "declined", "none"])),
        "decided_on": _dates(decided, ~known | (decided > today)),
        "decline_reason": pa.DictionaryArray.from_arrays(pa.array(reason.astype(np.int32), mask=(decision != 1) | (decided > today)), pa.array(["outside_age_criteria", "outside_area", "threshold_not_met", "duplicate", "other"])),
        "first_appointment_on": _dates(first, (decision != 0) | (first > today)),
        "attended_on": _dates(first, (decision != 0) | (first > today) | ~attended),
        "discharged_on": _dates(discharged, (decision != 0) | (discharged > today) | ~attended),
        "withdrawn_on": _dates(sent, np.ones(n_ref, bool)),
    })  # fmt: skip
    keep_ref = pa.array(sent <= today)
    referrals = referrals.filter(keep_ref)

    # ---- children, pregnancies, teams, staff -------------------------------------------------------------------------
    say("children table", 0.80)
    sex = rng.choice(3, children, p=[0.511, 0.488, 0.001])
    level = d_level[delivery]
    children_table = pa.table({
        "child_id": _ids("CHD-", np.arange(children)), "date_of_birth": _dates(dob), "sex": _codes(["M", "F", "U"], sex),
        "ethnic_category": _codes(ETHNIC_CODES, eth), "imd_decile": pa.array(imd.astype(np.int32), mask=imd == 0),
        "local_authority": _codes(_la_codes(), la), "team_id": _codes([f"T{i:04d}" for i in range(n_la * TEAMS_PER_LA)], team),
        "responsible_from": _dates(r_from), "responsible_to": _dates(r_to, r_to < 0), "date_of_death": _dates(death, death < 0),
        "looked_after": pa.array(rng.random(children) < 0.005), "birthing_parent_id": _ids("PAR-", delivery),
        "gestation_weeks": pa.array(d_gest[delivery].astype(np.int32), mask=rng.random(children) < 0.02),
        "service_level": _codes(SERVICE_LEVELS, level), "child_protection_plan": pa.array(rng.random(children) < 0.01),
    })  # fmt: skip
    preg_outcome = np.concatenate([np.ones(deliveries, int), np.zeros(ongoing, int)])
    pregnancies = pa.table({
        "pregnancy_id": _ids("PRG-", np.arange(n_preg)), "parent_id": _ids("PAR-", preg_parent), "edd": _dates(preg_edd),
        "outcome": _codes(["ongoing", "live_birth", "loss"], preg_outcome),
        "outcome_date": _dates(np.concatenate([d_dob, np.zeros(ongoing, int)]), preg_outcome == 0),
        "team_id": _codes([f"T{i:04d}" for i in range(n_la * TEAMS_PER_LA)], preg_team),
        "local_authority": _codes(_la_codes(), preg_team // TEAMS_PER_LA),
    })  # fmt: skip
    n_teams = n_la * TEAMS_PER_LA
    teams = pa.table({"team_id": [f"T{i:04d}" for i in range(n_teams)], "name": [f"Health visiting team {i + 1}" for i in range(n_teams)],
                      "local_authority": [_la_codes()[i // TEAMS_PER_LA] for i in range(n_teams)]})  # fmt: skip
    staff_team = np.repeat(np.arange(n_teams), 10)
    staff = pa.table({
        "practitioner_id": [f"S{i:05d}" for i in range(staff_team.size)], "team_id": [f"T{t:04d}" for t in staff_team],
        "role": ["health_visitor" if i % 10 < 6 else "community_nursery_nurse" for i in range(staff_team.size)],
        "wte": rng.choice([0.6, 0.8, 1.0], staff_team.size), "band": ["6" if i % 10 < 6 else "4" for i in range(staff_team.size)],
    })  # fmt: skip

    say("writing Parquet", 0.90)
    for name, table in [("children", children_table), ("pregnancies", pregnancies), ("referrals", referrals),
                        ("staff", staff), ("teams", teams)]:  # fmt: skip
        writer.add(name, table)
    manifest = writer.finish()
    say("done", 1.0)
    manifest["seconds"] = round(time.monotonic() - started, 1)
    return manifest


def _la_codes() -> list[str]:
    """Synthetic upper-tier local authority codes (not real ONS codes)."""
    return [f"E99{i:06d}" for i in range(1, LOCAL_AUTHORITIES + 1)]
