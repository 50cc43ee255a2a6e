"""The indicator queries, written once in Ibis: they run unchanged on DuckDB and on Spark.

Each indicator is one function returning a *unit table*: one row per counting unit (a child, a
contact, a screen, a referral) with the breakdown dimensions (null where a dimension does not apply)
and 0/1 columns ``num`` and ``den`` (and ``aux``, the units with breastfeeding status recorded for
C8ii). The union of all unit tables is aggregated by any breakdown in one ``group_by``.
Pure: no Django.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir

from pimh.analytics import snapshot
from pimh.analytics.indicators import (
    ASQ3_CUTOFFS,
    ASQ3_DOMAIN_CODES,
    DIMENSIONS,
    Quarter,
    Settings,
    add_months,
    birth_window_turning,
    nbv_birth_window,
)

READ = ("children", "parents", "parent_child", "pregnancies", "contacts", "asq3_scores", "screens", "referrals")
ATTENDED = ("5", "6")  # CSDS attendance: attended on time, arrived late but seen
FACE_TO_FACE = "01"
ETHNIC_GROUPS = {
    "White": ("A", "B", "C"), "Mixed": ("D", "E", "F", "G"), "Asian": ("H", "J", "K", "L"),
    "Black": ("M", "N", "P"), "Other": ("R", "S"),
}  # fmt: skip
UNKNOWN = "unknown"


@dataclass
class Source:
    """An Ibis connection with the snapshot's tables registered."""

    con: Any
    tables: dict[str, ir.Table]
    manifest: dict[str, Any]
    engine: str
    frames: dict[str, ir.Table] = field(default_factory=dict)  # projections cached once per run


def open_snapshot(folder: Path | str, engine: str = "duckdb", spark: Any = None) -> Source:
    """Check the snapshot against the contract and register its tables (required columns only)."""
    manifest = snapshot.check_snapshot(folder, READ)
    if engine == "duckdb":
        con = ibis.duckdb.connect()
        # Row order never matters to the indicators: DuckDB may then materialise and aggregate in parallel freely.
        con.raw_sql("SET preserve_insertion_order = false")
        con.raw_sql("SET enable_progress_bar = false")
    elif engine == "spark":
        if spark is None:
            from pyspark.sql import SparkSession

            spark = (
                SparkSession.builder.master("local[2]")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.session.timeZone", "UTC")
                .getOrCreate()
            )
        con = ibis.pyspark.connect(spark)
    else:
        raise ValueError(f"unknown engine {engine!r} (duckdb or spark)")
    tables = {}
    for name in READ:
        raw = con.read_parquet(str(snapshot.table_path(Path(folder), name)), table_name=f"pimh_{name}")
        tables[name] = raw.select(*snapshot.TABLES[name])
    return Source(con, tables, manifest, engine)


# ---- shared expressions ----------------------------------------------------------------------------


def _date(value: dt.date) -> ir.Value:
    return ibis.literal(value, type="date")


def plus_days(date: ir.Value, days: int) -> ir.Value:
    return (date + ibis.interval(days=days)).cast("date")


def plus_months(date: ir.Value, months: int) -> ir.Value:
    return (date + ibis.interval(months=months)).cast("date")


def attended_f2f(contacts: ir.Table) -> ir.BooleanValue:
    return contacts.attendance.isin(ATTENDED) & (contacts.mechanism == FACE_TO_FACE)


def responsible_on(children: ir.Table, day: ir.Value) -> ir.BooleanValue:
    """The provider was responsible for the child on ``day`` (responsibility ends on responsible_to)."""
    return (children.responsible_from <= day) & (children.responsible_to.isnull() | (children.responsible_to > day))


def ethnic_group(code: ir.StringValue) -> ir.StringValue:
    return ibis.cases(*((code.isin(codes), name) for name, codes in ETHNIC_GROUPS.items()), else_=UNKNOWN)


def imd_quintile(decile: ir.IntegerValue) -> ir.StringValue:
    return ibis.cases(*((decile.isin([2 * q - 1, 2 * q]), str(q)) for q in range(1, 6)), else_=UNKNOWN)


def infant_age_band(dob: ir.Value, day: ir.Value) -> ir.StringValue:
    return ibis.cases(
        (dob.isnull(), UNKNOWN),
        (day < dob, "antenatal"),
        (day < plus_months(dob, 12), "0-12 months"),
        (day < plus_months(dob, 24), "12-24 months"),
        else_="2 years and over",
    )


def _cached(src: Source, name: str, build: Callable[[Source], ir.Table]) -> ir.Table:
    """A projection used by several queries: materialised once on Spark; on DuckDB left to each query's
    Parquet scan (filters and columns pushed down), which measured cheaper in CPU and memory than
    materialising it (docs/performance.md)."""
    if name not in src.frames:
        frame = build(src)
        src.frames[name] = frame if src.engine == "duckdb" else frame.cache()
    return src.frames[name]


def child_frame(src: Source) -> ir.Table:
    """Children with their breakdown values."""
    return _cached(src, "children", _child_frame)


def parent_frame(src: Source) -> ir.Table:
    return _cached(
        src, "parents", lambda s: s.tables["parents"].select("parent_id", "role", parent_eth="ethnic_category")
    )


def pregnancy_frame(src: Source) -> ir.Table:
    return _cached(
        src, "pregnancies",
        lambda s: s.tables["pregnancies"].select("pregnancy_id", "parent_id", "edd", "team_id", "local_authority"),
    )  # fmt: skip


MANDATED = ("antenatal", "new_birth_visit", "six_to_eight_week", "twelve_month", "two_to_two_and_half_year")


def contact_frame(src: Source) -> ir.Table:
    """Attended contacts of the five mandated kinds: the only contacts any indicator reads.

    Not materialised: each query's scan of the Parquet file pushes these filters down, which measured
    cheaper than holding some 14 million rows in memory (docs/performance.md); Spark reads it as it is.
    """
    k = src.tables["contacts"]
    k = k.filter(k.attendance.isin(ATTENDED) & k.contact_type.isin(MANDATED))
    return k.select(
        "contact_id", "contact_type", "contact_date", "child_id", "pregnancy_id", "team_id", "mechanism", "attendance",
        "breastfeeding_status", "asq3_used",
    )  # fmt: skip


def screen_frame(src: Source, q: Quarter, s: Settings) -> ir.Table:
    """Screens from the quarter's start to its end plus the assessment window (all the screening queries read)."""
    sc = src.tables["screens"]
    return sc.filter(sc.screen_date.between(_date(q.start), _date(q.end + dt.timedelta(days=s.assessment_within_days))))


def _child_frame(src: Source) -> ir.Table:
    c = src.tables["children"]
    return c.select(
        "child_id", "responsible_from", "responsible_to", "date_of_death", "birthing_parent_id",
        dob=c.date_of_birth, local_authority=c.local_authority.fill_null(UNKNOWN), team=c.team_id.fill_null(UNKNOWN),
        imd_quintile=imd_quintile(c.imd_decile), ethnic_group=ethnic_group(c.ethnic_category),
        service_level=c.service_level.fill_null(UNKNOWN),
    )  # fmt: skip


def units(t: ir.Table, code: ir.Value | str, num: ir.Value, den: ir.Value, aux: ir.Value | None = None,
          **dims: ir.Value) -> ir.Table:  # fmt: skip
    """The common unit-table shape: code, every dimension (null where it does not apply), num, den, aux."""
    columns: dict[str, ir.Value] = {"code": ibis.literal(code) if isinstance(code, str) else code}
    for name in DIMENSIONS:
        columns[name] = dims[name].cast("string") if name in dims else ibis.null("string")
    # A comparison with a missing value is unknown (null) in SQL: here it does not count.
    columns["num"] = num.cast("int64").fill_null(0)
    columns["den"] = den.cast("int64").fill_null(0)
    columns["aux"] = (aux if aux is not None else ibis.literal(0)).cast("int64").fill_null(0)
    return t.select(**columns)


def _child_dims(t: ir.Table, day: ir.Value) -> dict[str, ir.Value]:
    return {
        "local_authority": t.local_authority, "team": t.team, "imd_quintile": t.imd_quintile,
        "ethnic_group": t.ethnic_group, "service_level": t.service_level, "infant_age_band": infant_age_band(t.dob, day),
    }  # fmt: skip


def first_contact(src: Source, kind: str, first: dt.date, last: dt.date, *, f2f: bool = True) -> ir.Table:
    """Attended (face-to-face) contacts of ``kind`` with a child, dated ``first`` to ``last``.

    The callers' bounds leave out only contacts that cannot count (before the cohort's first birth date,
    after the last date a counted contact can have): far fewer rows read and joined.
    """
    k = contact_frame(src)
    chosen = k.filter(
        (k.contact_type == kind) & k.child_id.notnull() & k.contact_date.between(_date(first), _date(last))
    )
    chosen = chosen.filter(attended_f2f(chosen) if f2f else chosen.attendance.isin(ATTENDED))
    return chosen.select("child_id", "contact_date")


# ---- national metrics ------------------------------------------------------------------------------------


def c1(src: Source, q: Quarter, s: Settings) -> ir.Table:
    k = contact_frame(src)
    ante = k.filter((k.contact_type == "antenatal") & k.pregnancy_id.notnull() & attended_f2f(k))
    ante = ante.select("pregnancy_id", "contact_date").filter(ante.contact_date <= _date(q.end))
    # Only pregnancies with an antenatal contact in the quarter can count (keeps the join small).
    current = ante.filter(ante.contact_date >= _date(q.start)).select("pregnancy_id").distinct()
    ante = ante.join(current, "pregnancy_id")
    p = pregnancy_frame(src)
    joined = ante.join(p, "pregnancy_id").filter(
        lambda t: t.contact_date >= plus_days(t.edd, -7 * (40 - s.antenatal_from_weeks))
    )
    first = joined.group_by(["pregnancy_id", "parent_id", "team_id", "local_authority"]).aggregate(
        first=joined.contact_date.min()
    )
    first = first.filter(first.first.between(_date(q.start), _date(q.end)))
    first = first.left_join(parent_frame(src).drop("role"), "parent_id")
    return units(first, "C1", ibis.literal(1), ibis.literal(0), local_authority=first.local_authority.fill_null(UNKNOWN),
                 team=first.team_id.fill_null(UNKNOWN), ethnic_group=ethnic_group(first.parent_eth),
                 parent_role=ibis.literal("birthing_parent"))  # fmt: skip


def _per_child(cohort: ir.Table, contacts: ir.Table, **flags: Callable[[ir.Table], ir.Value]) -> ir.Table:
    """The cohort with one aggregate per flag over each child's matching contacts (null when none).

    The contacts are joined to a slim (child_id, dob) copy of the cohort and grouped by child_id alone,
    then joined back: grouping by one key is much cheaper than by every cohort column.
    """
    slim = cohort.select("child_id", "dob")
    linked = contacts.join(slim, "child_id")
    per = linked.group_by("child_id").aggregate(**{name: build(linked) for name, build in flags.items()})
    return cohort.left_join(per, "child_id")


def c2_c3(src: Source, q: Quarter, s: Settings) -> ir.Table:
    first_dob, last_dob = nbv_birth_window(q, s)
    c = child_frame(src)
    cohort = c.filter(c.dob.between(_date(first_dob), _date(last_dob)))
    cohort = cohort.filter(responsible_on(cohort, plus_days(cohort.dob, 29)))
    # A visit after both the last in-time day and the quarter's end counts for neither C2 nor C3.
    visits = first_contact(src, "new_birth_visit", first_dob, max(q.end, last_dob + dt.timedelta(s.nbv_within_days)))
    per_child = _per_child(
        cohort, visits,
        nbv=lambda t: ibis.cases((t.contact_date >= t.dob, t.contact_date), else_=ibis.null("date")).min(),
    )  # fmt: skip
    in_time = per_child.nbv.notnull() & (per_child.nbv <= plus_days(per_child.dob, s.nbv_within_days))
    later = per_child.nbv.notnull() & (per_child.nbv > plus_days(per_child.dob, s.nbv_within_days))
    later = later & (per_child.nbv <= _date(q.end))
    dims = _child_dims(per_child, _date(q.end))
    return units(per_child, "C2", in_time, ibis.literal(1), **dims).union(
        units(per_child, "C3", later, ibis.literal(1), **dims)
    )


def c8(src: Source, q: Quarter, s: Settings) -> ir.Table:
    days = s.eight_week_age_days
    c = child_frame(src)
    cohort = c.filter(c.dob.between(_date(q.start - dt.timedelta(days)), _date(q.end - dt.timedelta(days))))
    cohort = cohort.filter(responsible_on(cohort, plus_days(cohort.dob, days)))
    k = contact_frame(src)
    # Every review that counts is held on or after the cohort's first birth date and by the quarter's end.
    reviews = k.filter(
        (k.contact_type == "six_to_eight_week")
        & k.child_id.notnull()
        & k.attendance.isin(ATTENDED)
        & k.contact_date.between(_date(q.start - dt.timedelta(days)), _date(q.end))
    )
    reviews = reviews.select("child_id", "contact_date", "breastfeeding_status", f2f=attended_f2f(reviews))

    def held(t: ir.Table) -> ir.BooleanValue:
        return t.contact_date >= t.dob

    def on_time(t: ir.Table) -> ir.Value:
        return (held(t) & t.f2f & (t.contact_date <= plus_days(t.dob, days))).cast("int64").max()

    # C8ii: status recorded at an attended 6-8 week review (any mechanism) by the end of the quarter.
    def by_quarter_end(t: ir.Table) -> ir.BooleanValue:
        return held(t) & (t.contact_date <= _date(q.end))

    per_child = _per_child(
        cohort, reviews, reviewed=on_time,
        fed=lambda t: (by_quarter_end(t) & t.breastfeeding_status.isin(["01", "02"])).cast("int64").max(),
        recorded=lambda t: (by_quarter_end(t) & t.breastfeeding_status.notnull()).cast("int64").max(),
    )  # fmt: skip
    dims = _child_dims(per_child, _date(q.end))
    return units(per_child, "C8i", per_child.reviewed, ibis.literal(1), **dims).union(
        units(per_child, "C8ii", per_child.fed, ibis.literal(1), per_child.recorded, **dims)
    )


REVIEWS = (  # code, contact kind, age in months the cohort turns in the quarter
    ("C4", "twelve_month", 12), ("C5", "twelve_month", 15), ("C6i", "two_to_two_and_half_year", 30),
)  # fmt: skip


def c4_c5_c6i(src: Source, q: Quarter, s: Settings) -> ir.Table:
    """Children turning 12, 15 or 30 months in the quarter with a review by that age, in one pass.

    The three cohorts' birth windows (a quarter each, 3 or more months apart) do not overlap: each child
    belongs to at most one, and a review counts only if it is of that cohort's kind.
    """
    windows = {code: birth_window_turning(q, age) for code, _, age in REVIEWS}
    c = child_frame(src)
    in_window = {code: c.dob.between(_date(first), _date(last)) for code, (first, last) in windows.items()}
    span = [day for window in windows.values() for day in window]
    # The overall span first: a plain range the Parquet scan can test before the three windows.
    cohort = c.filter(c.dob.between(_date(min(span)), _date(max(span))), ibis.or_(*in_window.values()))
    cohort = cohort.mutate(code=ibis.cases(*((test, code) for code, test in in_window.items()), else_=UNKNOWN))
    cohort = cohort.filter(responsible_on(cohort, _date(q.end)))
    k = contact_frame(src)
    # only reviews of children born in a window can count: after its first_dob, by its last_dob + age
    last_review = max(add_months(windows[code][1], age) for code, _, age in REVIEWS)
    reviews = k.filter(
        k.contact_date.between(_date(min(span)), _date(last_review))
        & k.child_id.notnull()
        & attended_f2f(k)
        & ibis.or_(*(
            (k.contact_type == kind) & k.contact_date.between(_date(windows[code][0]), _date(add_months(windows[code][1], age)))
            for code, kind, age in REVIEWS
        ))
    ).select("child_id", "contact_type", "contact_date")  # fmt: skip
    linked = reviews.join(cohort.select("child_id", "dob", "code"), "child_id")

    def counted(code: str, kind: str, age: int) -> ir.BooleanValue:
        lower = linked.dob if code == "C6i" else plus_months(linked.dob, s.twelve_month_review_from_months)
        return (
            (linked.code == code) & (linked.contact_type == kind)
            & (linked.contact_date <= plus_months(linked.dob, age)) & (linked.contact_date >= lower)
        )  # fmt: skip

    any_counted = ibis.or_(*(counted(*review) for review in REVIEWS))
    per = linked.group_by("child_id").aggregate(reviewed=any_counted.cast("int64").max())
    per_child = cohort.left_join(per, "child_id")
    per_child = per_child.mutate(reviewed=per_child.reviewed.fill_null(0))
    # C6i: children who died before the review (and by the quarter's end) are not in the cohort
    died_first = per_child.date_of_death.notnull() & (per_child.date_of_death <= _date(q.end))
    died_first = died_first & (per_child.reviewed == 0) & (per_child.code == "C6i")
    per_child = per_child.filter(~died_first)
    return units(per_child, per_child.code, per_child.reviewed, ibis.literal(1), **_child_dims(per_child, _date(q.end)))


def c6_reviews(src: Source, q: Quarter, s: Settings) -> ir.Table:
    """C6ii and C6iii-vii: each child's first attended face-to-face 2-2½ year review in the quarter."""
    k = contact_frame(src)
    reviews = k.filter(
        (k.contact_type == "two_to_two_and_half_year")
        & k.child_id.notnull()
        & attended_f2f(k)
        & k.contact_date.between(_date(q.start), _date(q.end))
    )
    ranked = reviews.mutate(rank=ibis.row_number().over(group_by="child_id", order_by=["contact_date", "contact_id"]))
    first = ranked.filter(ranked["rank"] == 0).select("child_id", "contact_id", "contact_date", "asq3_used")
    asq_used = first.asq3_used.fill_null(False)
    asq = first.select("child_id", "contact_date", code=ibis.literal("C6ii"), counted=asq_used.cast("int64"))
    with_asq = first.filter(asq_used)
    scores = src.tables["asq3_scores"].select("contact_id", "interval_months", "domain", "score")
    # Cut-offs as a CASE expression (no temporary table: the same SQL on every engine).
    scored = scores.join(with_asq.select("contact_id"), "contact_id")
    scored = scored.mutate(
        cutoff=ibis.cases(
            *(((scored.interval_months == i) & (scored.domain == d), v) for (i, d), v in ASQ3_CUTOFFS.items()),
            else_=ibis.null("float64"),
        ),
        domain_code=ibis.cases(*((scored.domain == d, code) for d, code in ASQ3_DOMAIN_CODES.items()), else_=UNKNOWN),
    )
    scored = scored.filter(scored.cutoff.notnull())
    per_domain = scored.group_by(["contact_id", "domain_code"]).aggregate(
        expected=(scored.score >= scored.cutoff).cast("int64").max()
    )
    per_domain = per_domain.join(with_asq, "contact_id")
    domains = per_domain.select("child_id", "contact_date", code=per_domain.domain_code, counted=per_domain.expected)
    # C6ii and the domains meet the children once, together.
    linked = asq.union(domains).join(child_frame(src), "child_id")
    return units(linked, linked.code, linked.counted, ibis.literal(1), **_child_dims(linked, linked.contact_date))


# ---- PIMH quality standards -------------------------------------------------------------------------------


def _parent_dims(t: ir.Table, day: ir.Value) -> dict[str, ir.Value]:
    dims = _child_dims(t, day)
    dims["ethnic_group"] = ethnic_group(t.parent_eth)
    dims["parent_role"] = t.parent_role
    return dims


def _asked(src: Source, q: Quarter, s: Settings) -> ir.Table:
    sc = screen_frame(src, q, s)
    in_quarter = sc.screen_date.between(_date(q.start), _date(q.end))
    asked = sc.filter(in_quarter & sc.instrument.isin(s.screening_instruments)).select(
        asked_parent="parent_id", asked_on="screen_date"
    )
    return asked.distinct()


def pimh1(src: Source, q: Quarter, s: Settings) -> ir.Table:
    k = contact_frame(src)
    wanted = ("antenatal", "new_birth_visit", "six_to_eight_week", "twelve_month")
    contacts = k.filter(
        k.contact_type.isin(wanted) & k.attendance.isin(ATTENDED) & k.contact_date.between(_date(q.start), _date(q.end))
    ).select("contact_id", "contact_type", "contact_date", "child_id", "pregnancy_id", "team_id")
    parents = parent_frame(src).drop("role")
    c = child_frame(src)
    preg = pregnancy_frame(src).select("pregnancy_id", preg_parent="parent_id", preg_la="local_authority")
    asked = _asked(src, q, s)

    # One pass for both: the contacts meet children, parents and the screens asked once, not twice.
    m = contacts.left_join(c, "child_id").left_join(preg, "pregnancy_id")
    m = m.mutate(
        child_found=m.local_authority.notnull(),  # the child frame fills a missing local authority
        parent_id=m.birthing_parent_id.fill_null(m.preg_parent),
        local_authority=m.local_authority.fill_null(m.preg_la).fill_null(UNKNOWN),
        team=m.team.fill_null(m.team_id).fill_null(UNKNOWN),
        imd_quintile=m.imd_quintile.fill_null(UNKNOWN),
        service_level=m.service_level.fill_null(UNKNOWN),
    )
    shared = ("contact_date", "local_authority", "team", "imd_quintile", "service_level", "dob", "ethnic_group")
    mothers = m.filter(m.parent_id.notnull()).select(
        *shared, "parent_id", code=ibis.literal("PIMH1M"), parent_role=ibis.literal("birthing_parent")
    )
    links = src.tables["parent_child"]
    links = links.filter(links.relationship.isin(["father", "partner"])).select(
        "child_id", "parent_id", parent_role="relationship"
    )
    postnatal = m.filter(m.child_found & (m.contact_type != "antenatal")).select("child_id", *shared)
    partners = postnatal.join(links, "child_id").select(
        *shared, "parent_id", "parent_role", code=ibis.literal("PIMH1P")
    )
    both = mothers.union(partners)
    t = both.left_join(parents, "parent_id")
    t = t.left_join(asked, (t.parent_id == asked.asked_parent) & (t.contact_date == asked.asked_on))
    return units(t, t.code, t.asked_parent.notnull(), ibis.literal(1), **_parent_dims(t, t.contact_date))


def _screen_frame(src: Source, screens: ir.Table) -> ir.Table:
    c = child_frame(src).drop("birthing_parent_id")
    t = screens.left_join(c, "child_id").left_join(parent_frame(src).drop("role"), "parent_id")
    return t.mutate(
        local_authority=t.local_authority.fill_null(UNKNOWN), team=t.team.fill_null(UNKNOWN),
        imd_quintile=t.imd_quintile.fill_null(UNKNOWN), service_level=t.service_level.fill_null(UNKNOWN),
        parent_role=t.parent_role.fill_null(UNKNOWN),
    )  # fmt: skip


def pimh2_pimh3(src: Source, q: Quarter, s: Settings) -> ir.Table:
    sc = screen_frame(src, q, s)
    in_quarter = sc.screen_date.between(_date(q.start), _date(q.end))
    positive = sc.filter(in_quarter & sc.instrument.isin(s.screening_instruments) & sc.positive.fill_null(False))
    episodes = positive.group_by(["parent_id", "screen_date", "parent_role"]).aggregate(
        child_id=positive.child_id.min()
    )
    window = sc.screen_date.between(_date(q.start), _date(q.end + dt.timedelta(days=s.assessment_within_days)))
    assessments = sc.filter(
        window & sc.instrument.isin(s.assessment_instruments) & sc.complete.fill_null(False)
    ).select(a_parent="parent_id", a_date="screen_date")
    e = episodes.left_join(
        assessments,
        (episodes.parent_id == assessments.a_parent)
        & (assessments.a_date >= episodes.screen_date)
        & (assessments.a_date <= plus_days(episodes.screen_date, s.assessment_within_days)),
    )
    e = e.group_by(list(episodes.columns)).aggregate(assessed=e.a_parent.notnull().cast("int64").max())
    shared = ("parent_id", "screen_date", "parent_role", "child_id")
    assessed = e.select(*shared, code=ibis.literal("PIMH2"), counted=e.assessed)

    risks = sc.filter(in_quarter & sc.risk_item_flag.fill_null(False)).select(
        "screen_id", "parent_id", "screen_date", "parent_role", "child_id"
    )
    r = src.tables["referrals"]
    urgent = r.filter(r.urgency.isin(["emergency", "urgent"])).select(r_parent="parent_id", r_sent="sent_on")
    acted = risks.left_join(urgent, (risks.parent_id == urgent.r_parent) & (risks.screen_date == urgent.r_sent))
    acted = acted.group_by(list(risks.columns)).aggregate(acted=acted.r_parent.notnull().cast("int64").max())
    same_day = acted.select(*shared, code=ibis.literal("PIMH3"), counted=acted.acted)
    # Both meet children and parents once, together.
    t = _screen_frame(src, assessed.union(same_day))
    return units(t, t.code, t.counted, ibis.literal(1), **_parent_dims(t, t.screen_date))


def pimh_referrals(src: Source, q: Quarter, s: Settings) -> ir.Table:
    r = src.tables["referrals"]
    parents = parent_frame(src).rename(parent_role="role")
    c = child_frame(src).drop("birthing_parent_id")
    t = r.left_join(c, "child_id").left_join(parents, "parent_id")
    t = t.mutate(
        local_authority=t.local_authority.fill_null(UNKNOWN), team=t.team.fill_null(UNKNOWN),
        imd_quintile=t.imd_quintile.fill_null(UNKNOWN), service_level=t.service_level.fill_null(UNKNOWN),
        parent_role=t.parent_role.fill_null(UNKNOWN), service_kind=t.service_kind.fill_null(UNKNOWN),
    )  # fmt: skip
    sent = t.filter(t.sent_on.between(_date(q.start), _date(q.end)))
    dims = {**_parent_dims(sent, sent.sent_on), "service_kind": sent.service_kind}
    ack = sent.acknowledged_on.notnull() & (sent.acknowledged_on <= plus_days(sent.sent_on, s.acknowledge_within_days))
    acknowledged = units(sent, "PIMH5a", ack, ibis.literal(1), **dims)
    accepted = sent.filter(sent.decision == "accepted")
    limit = plus_days(accepted.sent_on, s.first_appointment_within_days)
    seen = accepted.first_appointment_on.notnull() & (accepted.first_appointment_on <= limit)
    appointed = units(
        accepted, "PIMH5b", seen, ibis.literal(1),
        **{**_parent_dims(accepted, accepted.sent_on), "service_kind": accepted.service_kind},
    )  # fmt: skip
    decided = t.filter(t.child_id.notnull() & t.decision.notnull() & t.decided_on.between(_date(q.start), _date(q.end)))
    age = (decided.decision == "declined") & (decided.decline_reason == "outside_age_criteria")
    declines = units(
        decided, "PIMH6", age, ibis.literal(1),
        **{**_parent_dims(decided, decided.sent_on), "service_kind": decided.service_kind},
    )  # fmt: skip
    return acknowledged.union(appointed).union(declines)


def pimh7(src: Source, q: Quarter, s: Settings) -> ir.Table:
    c = child_frame(src)
    born = c.filter(c.dob.between(_date(q.start), _date(q.end)))
    births = units(born, "PIMH7", ibis.literal(0), ibis.literal(1), **_child_dims(born, born.dob))
    r = src.tables["referrals"]
    involved = r.filter(r.service_kind.isin(s.specialist_kinds) & r.attended_on.between(_date(q.start), _date(q.end)))
    t = involved.select("child_id", "attended_on").left_join(c, "child_id")
    t = t.mutate(
        local_authority=t.local_authority.fill_null(UNKNOWN), team=t.team.fill_null(UNKNOWN),
        imd_quintile=t.imd_quintile.fill_null(UNKNOWN), service_level=t.service_level.fill_null(UNKNOWN),
        ethnic_group=t.ethnic_group.fill_null(UNKNOWN),
    )  # fmt: skip
    return births.union(units(t, "PIMH7", ibis.literal(1), ibis.literal(0), **_child_dims(t, t.attended_on)))


QUERIES: tuple[Callable[[Source, Quarter, Settings], ir.Table], ...] = (
    c1, c2_c3, c8, c4_c5_c6i, c6_reviews, pimh1, pimh2_pimh3, pimh_referrals, pimh7,
)  # fmt: skip


def all_units(src: Source, q: Quarter, s: Settings) -> ir.Table:
    pieces = [query(src, q, s) for query in QUERIES]
    return ibis.union(*pieces, distinct=False)


def aggregate_many(unit_table: ir.Table, breakdowns: Sequence[Sequence[str]]) -> list[list[dict[str, Any]]]:
    """``[aggregate(unit_table, by) for by in breakdowns]``, on DuckDB in one scan with GROUPING SETS.

    The unit table need not be materialised: DuckDB computes the units once and aggregates them by every
    breakdown in the same pass. Other engines (Spark) run one ``aggregate`` per breakdown: same results.
    """
    wanted = [list(by) for by in breakdowns]
    backend = unit_table._find_backend()
    if backend.name != "duckdb":
        return [aggregate(unit_table, by) for by in wanted]
    unknown = sorted({name for by in wanted for name in by} - set(DIMENSIONS))
    if unknown:
        raise ValueError(f"unknown breakdown {unknown[0]!r}")
    # Only the catalogue's own dimension names reach the SQL text (checked above).
    dims = [name for name in DIMENSIONS if any(name in by for by in wanted)]
    sql = ibis.to_sql(unit_table.select("code", *dims, "num", "den", "aux"), dialect="duckdb")
    sets = ", ".join("(" + ", ".join(["code", *by]) + ")" for by in dict.fromkeys(tuple(by) for by in wanted))
    columns = "".join(f", {d}" for d in dims)
    grouping = f"GROUPING({', '.join(dims)})" if dims else "0"
    query = (
        f"SELECT code{columns}, {grouping} AS pimh_set, CAST(SUM(num) AS BIGINT) AS num, "  # noqa: S608 (names checked)
        "CAST(SUM(den) AS BIGINT) AS den, CAST(SUM(aux) AS BIGINT) AS aux "
        f"FROM ({sql}) AS pimh_units GROUP BY GROUPING SETS ({sets})"
    )
    rows = backend.con.sql(query).to_arrow_table().to_pylist()
    by_set: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        by_set.setdefault(row.pop("pimh_set"), []).append(row)
    out = []
    for by in wanted:
        # GROUPING(d1, ..., dn): bit n-1-i is set when d_i is rolled up (not grouped) in the row's set.
        mask = sum(1 << (len(dims) - 1 - i) for i, d in enumerate(dims) if d not in by)
        found = [r for r in by_set.get(mask, []) if all(r[name] is not None for name in by)]
        out.append([{"code": r["code"], **{n: r[n] for n in by}, "num": r["num"], "den": r["den"], "aux": r["aux"]}
                    for r in found])  # fmt: skip
    return out


def aggregate(unit_table: ir.Table, by: list[str]) -> list[dict[str, Any]]:
    """num/den/aux per code and group; rows whose breakdown dimension does not apply are left out."""
    t = unit_table
    for name in by:
        t = t.filter(t[name].notnull())
    result = t.group_by(["code", *by]).aggregate(num=t.num.sum(), den=t.den.sum(), aux=t.aux.sum())
    table = result.to_pyarrow()
    return table.to_pylist()  # type: ignore[no-any-return]
