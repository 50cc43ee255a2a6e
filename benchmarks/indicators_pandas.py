"""A straightforward pandas implementation of the indicator definitions, for the benchmark's comparison.

Same unit rows as ``pimh.analytics.engine`` (code, dimensions, num, den, aux), built with merges and
group-bys on whole tables in memory. Not used by the product.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from pimh.analytics.engine import ATTENDED, ETHNIC_GROUPS, FACE_TO_FACE, UNKNOWN
from pimh.analytics.indicators import (
    ASQ3_CUTOFFS,
    ASQ3_DOMAIN_CODES,
    DIMENSIONS,
    Quarter,
    Settings,
    birth_window_turning,
    nbv_birth_window,
)
from pimh.analytics.snapshot import TABLES, schema_of

ETHNIC = {code: name for name, codes in ETHNIC_GROUPS.items() for code in codes}


def load(folder: Path) -> dict[str, pd.DataFrame]:
    return {
        name: pq.read_table(folder / f"{name}.parquet", columns=list(TABLES[name]))
        .cast(schema_of(name))
        .to_pandas(date_as_object=False)
        for name in (
            "children",
            "parents",
            "parent_child",
            "pregnancies",
            "contacts",
            "asq3_scores",
            "screens",
            "referrals",
        )
    }


def ts(day) -> pd.Timestamp:
    return pd.Timestamp(day)


def months(dates: pd.Series, n: int) -> pd.Series:
    return dates + pd.DateOffset(months=n)


def band(dob: pd.Series, day: pd.Series) -> pd.Series:
    out = np.select(
        [dob.isna(), day < dob, day < months(dob, 12), day < months(dob, 24)],
        [UNKNOWN, "antenatal", "0-12 months", "12-24 months"],
        "2 years and over",
    )
    return pd.Series(out, index=dob.index)


def child_frame(t: dict[str, pd.DataFrame]) -> pd.DataFrame:
    c = t["children"]
    imd = c.imd_decile
    quint = np.where(imd.isna(), UNKNOWN, ((imd.fillna(1) + 1) // 2).astype(int).astype(str))
    return pd.DataFrame({
        "child_id": c.child_id, "responsible_from": c.responsible_from, "responsible_to": c.responsible_to,
        "date_of_death": c.date_of_death, "dob": c.date_of_birth, "local_authority": c.local_authority.fillna(UNKNOWN),
        "team": c.team_id.fillna(UNKNOWN), "imd_quintile": quint,
        "ethnic_group": c.ethnic_category.map(ETHNIC).fillna(UNKNOWN), "service_level": c.service_level.fillna(UNKNOWN),
    })  # fmt: skip


def responsible(df: pd.DataFrame, day) -> pd.Series:
    return (df.responsible_from <= day) & (df.responsible_to.isna() | (df.responsible_to > day))


def units(df: pd.DataFrame, code, num, den, aux=0, **dims) -> pd.DataFrame:
    out = pd.DataFrame(index=df.index)
    out["code"] = code
    for name in DIMENSIONS:
        out[name] = dims[name] if name in dims else None
    out["num"] = np.asarray(num, dtype="int64") if not np.isscalar(num) else num
    out["den"] = np.asarray(den, dtype="int64") if not np.isscalar(den) else den
    out["aux"] = np.asarray(aux, dtype="int64") if not np.isscalar(aux) else aux
    return out


def cdims(df: pd.DataFrame, day) -> dict:
    day = day if isinstance(day, pd.Series) else pd.Series(day, index=df.index)
    return {"local_authority": df.local_authority, "team": df.team, "imd_quintile": df.imd_quintile,
            "ethnic_group": df.ethnic_group, "service_level": df.service_level, "infant_age_band": band(df.dob, day)}  # fmt: skip


def pack_units(t: dict[str, pd.DataFrame], q: Quarter, s: Settings) -> pd.DataFrame:
    start, end = ts(q.start), ts(q.end)
    k = t["contacts"]
    f2f = k.attendance.isin(ATTENDED) & (k.mechanism == FACE_TO_FACE)
    c = child_frame(t)
    parents = t["parents"][["parent_id", "ethnic_category", "role"]].rename(columns={"ethnic_category": "parent_eth"})
    out = []

    # C1
    ante = k[(k.contact_type == "antenatal") & k.pregnancy_id.notna() & f2f][["pregnancy_id", "contact_date"]]
    j = ante.merge(t["pregnancies"], on="pregnancy_id")
    j = j[j.contact_date >= j.edd - pd.Timedelta(days=7 * (40 - s.antenatal_from_weeks))]
    first = (
        j.groupby(["pregnancy_id", "parent_id", "team_id", "local_authority"], dropna=False)
        .contact_date.min()
        .reset_index()
    )
    first = first[(first.contact_date >= start) & (first.contact_date <= end)].merge(
        parents, on="parent_id", how="left"
    )
    out.append(units(first, "C1", 1, 0, local_authority=first.local_authority.fillna(UNKNOWN), team=first.team_id.fillna(UNKNOWN),
                     ethnic_group=first.parent_eth.map(ETHNIC).fillna(UNKNOWN), parent_role="birthing_parent"))  # fmt: skip

    # C2, C3
    lo, hi = nbv_birth_window(q, s)
    cohort = c[(c.dob >= ts(lo)) & (c.dob <= ts(hi))]
    cohort = cohort[responsible(cohort, cohort.dob + pd.Timedelta(days=29))]
    nbv = k[(k.contact_type == "new_birth_visit") & k.child_id.notna() & f2f][["child_id", "contact_date"]]
    nbv = nbv.merge(cohort[["child_id", "dob"]], on="child_id")
    nbv = nbv[nbv.contact_date >= nbv.dob].groupby("child_id").contact_date.min().rename("nbv")
    m = cohort.merge(nbv, on="child_id", how="left")
    limit = m.dob + pd.Timedelta(days=s.nbv_within_days)
    d = cdims(m, end)
    out.append(units(m, "C2", m.nbv.notna() & (m.nbv <= limit), 1, **d))
    out.append(units(m, "C3", m.nbv.notna() & (m.nbv > limit) & (m.nbv <= end), 1, **d))

    # C8i, C8ii
    n = s.eight_week_age_days
    cohort = c[(c.dob >= start - pd.Timedelta(days=n)) & (c.dob <= end - pd.Timedelta(days=n))]
    cohort = cohort[responsible(cohort, cohort.dob + pd.Timedelta(days=n))]
    rev = k[(k.contact_type == "six_to_eight_week") & k.child_id.notna() & k.attendance.isin(ATTENDED)]
    rev = rev.assign(f2f=f2f[rev.index])[["child_id", "contact_date", "breastfeeding_status", "f2f"]]
    rev = rev.merge(cohort[["child_id", "dob"]], on="child_id")
    held = rev.contact_date >= rev.dob
    rev["on_time"] = held & rev.f2f & (rev.contact_date <= rev.dob + pd.Timedelta(days=n))
    held = held & (rev.contact_date <= end)
    rev["fed"] = held & rev.breastfeeding_status.isin(["01", "02"])
    rev["recorded"] = held & rev.breastfeeding_status.notna()
    per = rev.groupby("child_id")[["on_time", "fed", "recorded"]].max()
    m = cohort.merge(per, on="child_id", how="left").fillna({"on_time": False, "fed": False, "recorded": False})
    d = cdims(m, end)
    out.append(units(m, "C8i", m.on_time, 1, **d))
    out.append(units(m, "C8ii", m.fed, 1, m.recorded, **d))

    # C4, C5, C6i
    for code, kind, age, lower in (("C4", "twelve_month", 12, s.twelve_month_review_from_months),
                                   ("C5", "twelve_month", 15, s.twelve_month_review_from_months),
                                   ("C6i", "two_to_two_and_half_year", 30, None)):  # fmt: skip
        lo, hi = birth_window_turning(q, age)
        cohort = c[(c.dob >= ts(lo)) & (c.dob <= ts(hi))]
        cohort = cohort[responsible(cohort, end)]
        rev = k[(k.contact_type == kind) & k.child_id.notna() & f2f][["child_id", "contact_date"]]
        rev = rev.merge(cohort[["child_id", "dob"]], on="child_id")
        ok = (rev.contact_date <= months(rev.dob, age)) & (
            rev.contact_date >= (rev.dob if lower is None else months(rev.dob, lower))
        )
        reviewed = rev[ok].child_id.unique()
        m = cohort.assign(reviewed=cohort.child_id.isin(reviewed))
        if code == "C6i":
            m = m[~(m.date_of_death.notna() & (m.date_of_death <= end) & ~m.reviewed)]
        out.append(units(m, code, m.reviewed, 1, **cdims(m, end)))

    # C6ii, C6iii-vii
    rev = k[
        (k.contact_type == "two_to_two_and_half_year")
        & k.child_id.notna()
        & f2f
        & (k.contact_date >= start)
        & (k.contact_date <= end)
    ]
    rev = rev.sort_values(["child_id", "contact_date", "contact_id"]).drop_duplicates("child_id")
    rev = rev[["child_id", "contact_id", "contact_date", "asq3_used"]].merge(c, on="child_id")
    used = rev.asq3_used.fillna(False).astype(bool)
    out.append(units(rev, "C6ii", used, 1, **cdims(rev, rev.contact_date)))
    cut = pd.DataFrame([(i, dm, v, ASQ3_DOMAIN_CODES[dm]) for (i, dm), v in ASQ3_CUTOFFS.items()],
                       columns=["interval_months", "domain", "cutoff", "domain_code"])  # fmt: skip
    sc = rev[used].merge(t["asq3_scores"][["contact_id", "interval_months", "domain", "score"]], on="contact_id")
    sc = sc.merge(cut, on=["interval_months", "domain"])
    sc["expected"] = sc.score >= sc.cutoff
    sc = sc.groupby(["child_id", "contact_id", "domain_code"]).agg(expected=("expected", "max")).reset_index()
    sc = sc.merge(rev[["contact_id", *c.columns.drop("child_id"), "contact_date"]], on="contact_id")
    out.append(units(sc, sc.domain_code, sc.expected, 1, **cdims(sc, sc.contact_date)))

    # PIMH1M, PIMH1P
    scr = t["screens"]
    asked = scr[scr.instrument.isin(s.screening_instruments)][["parent_id", "screen_date"]].drop_duplicates()
    asked = asked.rename(columns={"screen_date": "contact_date"}).assign(asked=True)
    con = k[k.contact_type.isin(["antenatal", "new_birth_visit", "six_to_eight_week", "twelve_month"]) & k.attendance.isin(ATTENDED)
            & (k.contact_date >= start) & (k.contact_date <= end)]  # fmt: skip
    con = con[["contact_id", "contact_type", "contact_date", "child_id", "pregnancy_id", "team_id"]]
    m = con.merge(c, on="child_id", how="left").merge(
        t["children"][["child_id", "birthing_parent_id"]], on="child_id", how="left"
    )
    preg = t["pregnancies"][["pregnancy_id", "parent_id", "local_authority"]].rename(
        columns={"parent_id": "preg_parent", "local_authority": "preg_la"}
    )
    m = m.merge(preg, on="pregnancy_id", how="left")
    m["parent_id"] = m.birthing_parent_id.fillna(m.preg_parent)
    m["local_authority"] = m.local_authority.fillna(m.preg_la).fillna(UNKNOWN)
    m["team"] = m.team.fillna(m.team_id).fillna(UNKNOWN)
    m["imd_quintile"] = m.imd_quintile.fillna(UNKNOWN)
    m["service_level"] = m.service_level.fillna(UNKNOWN)
    m = m[m.parent_id.notna()].merge(parents[["parent_id", "parent_eth"]], on="parent_id", how="left")
    m = m.merge(asked, on=["parent_id", "contact_date"], how="left")
    d = {
        **cdims(m, m.contact_date),
        "ethnic_group": m.parent_eth.map(ETHNIC).fillna(UNKNOWN),
        "parent_role": "birthing_parent",
    }
    out.append(units(m, "PIMH1M", m.asked.fillna(False).astype(bool), 1, **d))
    links = t["parent_child"]
    links = links[links.relationship.isin(["father", "partner"])].rename(columns={"relationship": "parent_role"})
    f = (
        con[con.contact_type != "antenatal"]
        .merge(c, on="child_id")
        .merge(links[["child_id", "parent_id", "parent_role"]], on="child_id")
    )
    f = f.merge(parents[["parent_id", "parent_eth"]], on="parent_id", how="left").merge(
        asked, on=["parent_id", "contact_date"], how="left"
    )
    d = {
        **cdims(f, f.contact_date),
        "ethnic_group": f.parent_eth.map(ETHNIC).fillna(UNKNOWN),
        "parent_role": f.parent_role,
    }
    out.append(units(f, "PIMH1P", f.asked.fillna(False).astype(bool), 1, **d))

    def screen_frame(df: pd.DataFrame) -> pd.DataFrame:
        df = df.merge(c, on="child_id", how="left").merge(
            parents[["parent_id", "parent_eth"]], on="parent_id", how="left"
        )
        for col in ("local_authority", "team", "imd_quintile", "service_level", "parent_role"):
            df[col] = df[col].fillna(UNKNOWN)
        return df

    def pdims(df: pd.DataFrame, day: pd.Series) -> dict:
        return {
            **cdims(df, day),
            "ethnic_group": df.parent_eth.map(ETHNIC).fillna(UNKNOWN),
            "parent_role": df.parent_role,
        }

    # PIMH2, PIMH3
    inq = (scr.screen_date >= start) & (scr.screen_date <= end)
    pos = scr[inq & scr.instrument.isin(s.screening_instruments) & scr.positive.fillna(False).astype(bool)]
    ep = pos.groupby(["parent_id", "screen_date", "parent_role"]).child_id.min().reset_index()
    ass = scr[scr.instrument.isin(s.assessment_instruments) & scr.complete.fillna(False).astype(bool)][
        ["parent_id", "screen_date"]
    ]
    ass = ass.rename(columns={"screen_date": "a_date"})
    e = ep.merge(ass, on="parent_id", how="left")
    e["ok"] = (e.a_date >= e.screen_date) & (e.a_date <= e.screen_date + pd.Timedelta(days=s.assessment_within_days))
    e = (
        e.groupby(["parent_id", "screen_date", "parent_role"], dropna=False)
        .agg(child_id=("child_id", "first"), ok=("ok", "max"))
        .reset_index()
    )
    e = screen_frame(e)
    out.append(units(e, "PIMH2", e.ok, 1, **pdims(e, e.screen_date)))
    risk = scr[inq & scr.risk_item_flag.fillna(False).astype(bool)][
        ["screen_id", "parent_id", "screen_date", "parent_role", "child_id"]
    ]
    ref = t["referrals"]
    urgent = ref[ref.urgency.isin(["emergency", "urgent"])][["parent_id", "sent_on"]].drop_duplicates()
    urgent = urgent.rename(columns={"sent_on": "screen_date"}).assign(acted=True)
    r = screen_frame(risk.merge(urgent, on=["parent_id", "screen_date"], how="left"))
    out.append(units(r, "PIMH3", r.acted.fillna(False).astype(bool), 1, **pdims(r, r.screen_date)))

    # PIMH5a, PIMH5b, PIMH6
    rr = (
        ref.merge(c, on="child_id", how="left")
        .merge(parents, on="parent_id", how="left")
        .rename(columns={"role": "parent_role"})
    )
    for col in ("local_authority", "team", "imd_quintile", "service_level", "parent_role", "service_kind"):
        rr[col] = rr[col].fillna(UNKNOWN)
    sent = rr[(rr.sent_on >= start) & (rr.sent_on <= end)]
    d = {**pdims(sent, sent.sent_on), "service_kind": sent.service_kind}
    ack = sent.acknowledged_on.notna() & (
        sent.acknowledged_on <= sent.sent_on + pd.Timedelta(days=s.acknowledge_within_days)
    )
    out.append(units(sent, "PIMH5a", ack, 1, **d))
    acc = sent[sent.decision == "accepted"]
    seen = acc.first_appointment_on.notna() & (
        acc.first_appointment_on <= acc.sent_on + pd.Timedelta(days=s.first_appointment_within_days)
    )
    out.append(units(acc, "PIMH5b", seen, 1, **{**pdims(acc, acc.sent_on), "service_kind": acc.service_kind}))
    dec = rr[rr.child_id.notna() & rr.decision.notna() & (rr.decided_on >= start) & (rr.decided_on <= end)]
    age = (dec.decision == "declined") & (dec.decline_reason == "outside_age_criteria")
    out.append(units(dec, "PIMH6", age, 1, **{**pdims(dec, dec.sent_on), "service_kind": dec.service_kind}))

    # PIMH7
    born = c[(c.dob >= start) & (c.dob <= end)]
    out.append(units(born, "PIMH7", 0, 1, **cdims(born, born.dob)))
    inv = ref[ref.service_kind.isin(s.specialist_kinds) & (ref.attended_on >= start) & (ref.attended_on <= end)]
    inv = inv[["child_id", "attended_on"]].merge(c, on="child_id", how="left")
    for col in ("local_authority", "team", "imd_quintile", "service_level", "ethnic_group"):
        inv[col] = inv[col].fillna(UNKNOWN)
    out.append(units(inv, "PIMH7", 1, 0, **cdims(inv, inv.attended_on)))
    return pd.concat(out, ignore_index=True)


def aggregate(unit_rows: pd.DataFrame, by: list[str]) -> dict[tuple, tuple[int, int, int]]:
    rows = unit_rows.dropna(subset=by) if by else unit_rows
    grouped = rows.groupby(["code", *by])[["num", "den", "aux"]].sum()
    return {
        (key if isinstance(key, tuple) else (key,)): tuple(int(v) for v in values) for key, values in grouped.iterrows()
    }
