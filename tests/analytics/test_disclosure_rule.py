"""The NHS Digital 2018 disclosure rule (data-standards.md section 2), without secondary suppression."""

from __future__ import annotations

import pytest

from pimh.analytics.disclosure import SUPPRESSED, protect


@pytest.mark.parametrize(
    ("count", "shown"),
    [(0, 0), (1, SUPPRESSED), (7, SUPPRESSED), (8, 10), (10, 10), (12, 10), (13, 15), (4003, 4005)],
)
def test_counts_1_to_7_are_suppressed_and_others_rounded_to_the_nearest_5(count, shown):
    assert protect(count) == shown


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError, match="cannot be negative"):
        protect(-1)


def test_a_total_is_protected_from_its_unrounded_cells_with_no_secondary_suppression():
    """Three cells of 3 are each hidden; their total of 9 is shown as 10 and nothing else is hidden."""
    cells = [3, 3, 3, 20]
    assert [protect(n) for n in cells] == [SUPPRESSED, SUPPRESSED, SUPPRESSED, 20]
    assert protect(sum(cells)) == 30
