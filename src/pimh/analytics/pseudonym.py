"""Pseudonymous identifiers for the analytics snapshot: a keyed hash (HMAC-SHA256). Pure: no Django.

The key comes from the ``SNAPSHOT_PSEUDONYM_KEY`` setting and is never written into a snapshot. A
person with an NHS number is identified by the hash of the number (the same key gives the same
identifier in another system's snapshot, so two providers sharing a key can link records); anyone
else, and every other record, by the hash of its kind and local id. Without the key the identifiers
cannot be reversed or recomputed from a list of NHS numbers.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

LENGTH = 32  # hex characters kept (128 bits): collisions are negligible at national scale
MIN_KEY_LENGTH = 32


class Pseudonymiser:
    def __init__(self, key: str) -> None:
        if len(key) < MIN_KEY_LENGTH:
            raise ValueError(f"the pseudonym key must be at least {MIN_KEY_LENGTH} characters")
        self._key = key.encode()

    def __repr__(self) -> str:  # never show the key
        return "Pseudonymiser(key=<hidden>)"

    def token(self, text: str) -> str:
        return hmac.new(self._key, text.encode(), hashlib.sha256).hexdigest()[:LENGTH]

    def record(self, kind: str, local_id: object) -> str | None:
        """``kind``/``local_id`` (for example ``contact``/42) as a pseudonym; None stays None."""
        return None if local_id is None else self.token(f"{kind}:{local_id}")

    def person(self, local_id: object, nhs_number: str | None) -> str | None:
        if local_id is None:
            return None
        return self.token(f"nhs:{nhs_number}") if nhs_number else self.token(f"person:{local_id}")

    def records(self, kind: str, local_ids: Iterable[object]) -> list[str | None]:
        return [self.record(kind, value) for value in local_ids]
