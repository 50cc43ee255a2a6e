"""Issue 11, section 1: moves out and deaths recorded on the pages reach the snapshot, so that
"responsible at quarter end" and the C6i death exclusion read them."""

from __future__ import annotations

import datetime as dt

import pyarrow.parquet as pq
from django.test import override_settings
from django.utils import timezone

from pimh.analytics import export
from pimh.families import life_events
from pimh.families.models import Person
from tests.conftest import make_family

KEY = "k" * 40


def test_a_move_out_and_a_death_reach_the_children_table(db, hv, team_a, tmp_path):
    today = timezone.localdate()
    moved = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=60)
    died = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=90)
    stays = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=30)
    infant = {f: Person.objects.get(family=f, role="infant") for f in (moved, died, stays)}
    out_on, died_on = today - dt.timedelta(days=5), today - dt.timedelta(days=3)
    life_events.record_move_out(by=hv, person=infant[moved], on=out_on, kind="moved_out")
    life_events.record_death(by=hv, person=infant[died], on=died_on)

    with override_settings(SNAPSHOT_PSEUDONYM_KEY=KEY):
        export.write(tmp_path / "snap", extract_date=today)
    rows = {r["child_id"]: r for r in pq.read_table(tmp_path / "snap" / "children.parquet").to_pylist()}
    pseudo = export.Pseudonymiser(KEY)

    def row(family):
        person = infant[family]
        return rows[pseudo.person(person.pk, person.nhs_number)]

    assert (row(moved)["responsible_to"], row(moved)["date_of_death"]) == (out_on, None)
    assert (row(died)["responsible_to"], row(died)["date_of_death"]) == (None, died_on)
    assert (row(stays)["responsible_to"], row(stays)["date_of_death"]) == (None, None)
