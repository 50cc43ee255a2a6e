"""ASQ-3 cut-offs and scores, infant feeding codes (contacts/asq3.py), against data-standards.md section 3."""

from __future__ import annotations

import pytest

from pimh.analytics import indicators
from pimh.contacts import asq3

# The published table, written out (domain: 24, 27, 30 months as SNOMED CT code / cut-off).
PUBLISHED = """
communication   953211000000100 25.17 953261000000103 24.02 953311000000105 33.30
gross_motor     953231000000108 38.07 953281000000107 28.01 953331000000102 36.14
fine_motor      953221000000106 35.16 953271000000105 18.42 953321000000104 19.25
problem_solving 953241000000104 29.78 953291000000109 27.62 953341000000106 27.08
personal_social 953251000000101 31.54 953301000000108 25.31 953351000000109 32.01
"""
TABLE = {
    (interval, line.split()[0]): (line.split()[1 + 2 * k], float(line.split()[2 + 2 * k]))
    for line in PUBLISHED.strip().splitlines()
    for k, interval in enumerate((24, 27, 30))
}


def test_the_configured_table_is_the_published_one():
    assert asq3.PUBLISHED == TABLE
    assert asq3.CUTOFFS == {key: cutoff for key, (_, cutoff) in TABLE.items()}
    assert asq3.SNOMED == {key: code for key, (code, _) in TABLE.items()}


def test_the_indicator_engine_reads_the_same_cutoffs():
    assert indicators.ASQ3_CUTOFFS is asq3.CUTOFFS


@pytest.mark.parametrize(("interval", "domain"), sorted(TABLE))
def test_each_cutoff_edge_in_steps_of_five(interval, domain):
    cutoff = TABLE[(interval, domain)][1]
    below = 5 * int(cutoff // 5)  # the highest possible score under the cut-off
    assert (asq3.band(interval, domain, below), asq3.band(interval, domain, below + 5)) == (
        asq3.BELOW,
        asq3.AT_OR_ABOVE,
    )
    assert (asq3.band(interval, domain, 0), asq3.band(interval, domain, 60)) == (asq3.BELOW, asq3.AT_OR_ABOVE)


@pytest.mark.parametrize(
    ("interval", "domain", "score", "band"),
    [
        (24, "communication", 25, "below"),  # 25 < 25.17
        (24, "communication", 30, "at_or_above"),
        (24, "gross_motor", 35, "below"),  # 35 < 38.07
        (24, "gross_motor", 40, "at_or_above"),
        (27, "fine_motor", 15, "below"),  # 15 < 18.42
        (27, "fine_motor", 20, "at_or_above"),
        (30, "communication", 30, "below"),  # 30 < 33.30
        (30, "communication", 35, "at_or_above"),
        (30, "problem_solving", 25, "below"),  # 25 < 27.08
        (30, "personal_social", 35, "at_or_above"),  # 35 >= 32.01
    ],
)
def test_bands_written_out(interval, domain, score, band):
    assert asq3.band(interval, domain, score) == band


def test_no_band_where_no_cutoff_is_configured():
    assert asq3.band(12, "communication", 40) is None


@pytest.mark.parametrize("score", [0, 5, 30, 55, 60])
def test_valid_scores(score):
    assert asq3.score_problem(score) is None


@pytest.mark.parametrize(
    ("score", "message"),
    [(-5, "from 0 to 60"), (65, "from 0 to 60"), (61, "from 0 to 60"), (1, "multiple of 5"), (59, "multiple of 5")],
)
def test_invalid_scores(score, message):
    assert message in asq3.score_problem(score)


@pytest.mark.parametrize(
    ("contact_type", "interval", "problem"),
    [
        ("two_to_two_and_half_year", 24, None),
        ("two_to_two_and_half_year", 30, None),
        ("twelve_month", 12, None),
        ("two_to_two_and_half_year", 12, "Choose the questionnaire interval used (24, 27, 30 months)"),
        ("two_to_two_and_half_year", None, "Choose the questionnaire interval used (24, 27, 30 months)"),
        ("new_birth_visit", 24, "ASQ-3 is recorded only at the 12-month and 2 to 2½ year reviews"),
    ],
)
def test_interval_per_contact_type(contact_type, interval, problem):
    assert asq3.interval_problem(contact_type, interval) == problem


def test_feeding_codes_are_the_csds_ones():
    assert asq3.FEEDING_LABELS == {"01": "Totally breastfed", "02": "Partially breastfed", "03": "Not breastfed"}
