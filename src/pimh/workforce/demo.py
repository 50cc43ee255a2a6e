"""Demo step: a few demo health visitors work part time, so the weighted caseloads show per-WTE figures."""

from __future__ import annotations

from decimal import Decimal

from pimh.core.models import User

# username -> whole-time equivalent (fictional)
PART_TIME = {"hv3": Decimal("0.80"), "hv5": Decimal("0.60"), "hv8": Decimal("0.80")}


def load(context) -> dict[str, int]:  # type: ignore[no-untyped-def]  # context: pimh.demo.loader.DemoContext
    changed = 0
    for username, wte in PART_TIME.items():
        changed += User.objects.filter(username=username).update(wte=wte)
    return {"part_time_staff": changed}
