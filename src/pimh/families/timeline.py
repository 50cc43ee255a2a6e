"""The family timeline: each app contributes its entries; the record shows them newest first.

An app registers a provider in its ``AppConfig.ready()``:

    from pimh.families.timeline import register
    register(my_entries)   # my_entries(family) -> list[Entry]

Providers receive a family already fetched through the user's scope and must
use a fixed number of queries, whatever the family's history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from pimh.families.models import Family, LifeEvent, LifeEventKind


@dataclass(frozen=True)
class Entry:
    date: dt.date
    kind: str  # short label shown as a tag, e.g. "Contact", "Task", "Screen"
    text: str
    detail: str = ""
    url: str = ""
    urgent: bool = False


Provider = Callable[[Family], list[Entry]]
_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def entries_for(family: Family) -> list[Entry]:
    entries = [entry for provider in _PROVIDERS for entry in provider(family)]
    return sorted(entries, key=lambda e: e.date, reverse=True)


def family_entries(family: Family) -> list[Entry]:
    """The families app's own entries: service-level changes and pregnancy outcomes."""
    entries = [
        Entry(
            change.effective_from, "Service level", f"Service level {change.get_level_display()}", detail=change.reason
        )
        for change in family.service_level_history.all()
    ]
    entries += [
        Entry(p.outcome_date, "Pregnancy", p.get_outcome_display()) for p in family.pregnancies.all() if p.outcome_date
    ]
    entries += [_life_event_entry(event) for event in family.life_events.select_related("person", "carer")]
    return entries


def _life_event_entry(event: LifeEvent) -> Entry:
    name = event.person.given_name
    if event.kind == LifeEventKind.DIED:
        return Entry(
            event.on,
            "Bereavement",
            f"{event.person.full_name} died",
            detail=f"Every prompt for {name} has stopped. Consider what bereavement support the family would like.",
        )
    text = f"{name}: {event.get_kind_display()}"
    if event.carer is not None and event.kind == LifeEventKind.LOOKED_AFTER:
        text += f" {event.carer.full_name}"
    return Entry(event.on, "Life event", text, detail=event.note)


# ---- sections of the family record ---------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """A block an app adds to the family record: ``template`` is included with ``section`` in context.

    ``place`` is "top" (banners: shown above everything, e.g. urgent flags) or "main"
    (panels after the people and pregnancies, e.g. open referrals).
    """

    template: str
    context: dict[str, object]
    place: str = "main"


SectionProvider = Callable[[object, Family], list[Section]]  # (request, family) -> sections
_SECTION_PROVIDERS: list[SectionProvider] = []


def register_section(provider: SectionProvider) -> None:
    if provider not in _SECTION_PROVIDERS:
        _SECTION_PROVIDERS.append(provider)


def sections_for(request: object, family: Family) -> list[Section]:
    return [section for provider in _SECTION_PROVIDERS for section in provider(request, family)]
