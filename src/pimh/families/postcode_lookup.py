"""Postcode to LSOA lookup from a CSV file named by the POSTCODE_LSOA_CSV setting (docs/configuration.md).

The file has a postcode column and an LSOA code column: either named (``pcds``/``pcd``/``postcode``
and ``lsoa21cd``/``lsoa11cd``/``lsoa``, as in the ONS postcode directories) or, with no header
row, the first two columns. It is read once per process (and again when the file changes) into memory.
"""

from __future__ import annotations

import csv
import functools
import logging
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)
POSTCODE_COLUMNS = ("pcds", "pcd", "pcd7", "pcd8", "postcode")
LSOA_COLUMNS = ("lsoa21cd", "lsoa21", "lsoa11cd", "lsoa11", "lsoa", "lsoa_code")


def _key(postcode: str) -> str:
    return "".join(postcode.split()).upper()


@functools.lru_cache(maxsize=2)
def _table(path: str, modified: float) -> dict[str, str]:
    with Path(path).open(newline="", encoding="utf-8-sig") as handle:
        rows = csv.reader(handle)
        first = next(rows, [])
        names = [name.strip().lower() for name in first]
        postcode_at = next((names.index(n) for n in POSTCODE_COLUMNS if n in names), None)
        lsoa_at = next((names.index(n) for n in LSOA_COLUMNS if n in names), None)
        table: dict[str, str] = {}
        if postcode_at is None or lsoa_at is None:  # no header: the first two columns
            postcode_at, lsoa_at = 0, 1
            rows_to_read = [first]
        else:
            rows_to_read = []
        for row in [*rows_to_read, *rows]:
            if len(row) > max(postcode_at, lsoa_at) and row[lsoa_at].strip():
                table[_key(row[postcode_at])] = row[lsoa_at].strip().upper()
        return table


def configured() -> bool:
    return bool(getattr(settings, "POSTCODE_LSOA_CSV", ""))


def lsoa_for(postcode: str) -> str | None:
    """The LSOA code of a postcode in the configured file, or None (not configured, or not found)."""
    path = getattr(settings, "POSTCODE_LSOA_CSV", "")
    if not path:
        return None
    try:
        table = _table(path, Path(path).stat().st_mtime)
    except (OSError, UnicodeDecodeError, csv.Error):
        logger.warning("The postcode to LSOA file (POSTCODE_LSOA_CSV) cannot be read: LSOA codes are entered by hand")
        return None
    return table.get(_key(postcode))
