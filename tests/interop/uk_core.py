"""The shared UK Core fixtures (shared/fixtures/uk-core, found beside the checkout or above it) as JSON."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from lxml import etree

from pimh.interop.fhir.ukcore import Checker, find_folder

REPO = Path(__file__).resolve().parents[2]


@functools.cache
def folder() -> Path:
    import os

    found = find_folder(REPO, os.environ.get("UK_CORE_DIR", ""))
    assert found is not None, "shared/fixtures/uk-core not found beside the checkout (or set UK_CORE_DIR)"
    return found


@functools.cache
def checker() -> Checker:
    return Checker.from_folder(folder())


def example_names() -> list[str]:
    return sorted(p.stem for p in (folder() / "examples").glob("*.xml"))


def example(name: str) -> dict[str, Any]:
    """A published UK Core example (XML) as FHIR JSON, through fhir.resources R4B."""
    raw = (folder() / "examples" / f"{name}.xml").read_bytes()
    kind = etree.QName(etree.fromstring(raw)).localname
    return json.loads(get_fhir_model_class(kind).model_validate_xml(raw).model_dump_json())
