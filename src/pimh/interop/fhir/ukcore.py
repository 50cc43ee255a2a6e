"""Our UK Core check: a FHIR R4 resource (a JSON dict) against the UK Core profiles we hold. Pure: no Django.

It reads the StructureDefinitions (differential or snapshot), ValueSets and CodeSystems published in
``shared/fixtures/uk-core/`` and checks, for each element the profile constrains:

- cardinality (``min``/``max``), within each occurrence of the parent element, slices included
  (an extension slice is the extensions with that URL; other slices by their value/pattern discriminator);
- fixed values (``fixed[x]``: equal) and patterns (``pattern[x]``: the resource's value contains the pattern);
- required bindings, against the value sets held (a binding to a value set we do not hold is not checked);
- extension URLs: every extension must be one the profile names, a UK Core extension we hold, or an
  HL7 core extension (``http://hl7.org/fhir/StructureDefinition/…``); extensions we hold are checked
  against their own definitions (fixed URL, value cardinality, required binding).

Each problem is one string ``<FHIR path>: <what is wrong>``, the path with list indexes
(``Patient.identifier[0].system``). The HL7 Java validator is not reachable here; base R4 rules are
checked by ``fhir.resources`` and ``@medplum/core`` (see docs/api.md).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FHIR_NS = "{http://hl7.org/fhir}"
UK_CORE = "https://fhir.hl7.org.uk/StructureDefinition/"
HL7_CORE_EXTENSIONS = "http://hl7.org/fhir/StructureDefinition/"
EXTENSION_KEYS = ("extension", "modifierExtension")


@dataclass(frozen=True)
class Element:
    id: str
    min: int | None = None
    max: str | None = None
    fixed: list[Any] | None = None
    pattern: list[Any] | None = None
    required_value_set: str | None = None
    profiles: tuple[str, ...] = ()
    discriminators: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Profile:
    url: str
    type: str
    elements: dict[str, Element]
    extension_urls: frozenset[str] = field(default_factory=frozenset)


def _tag(node: ET.Element) -> str:
    return node.tag.removeprefix(FHIR_NS)


def _value(node: ET.Element) -> Any:
    """A FHIR XML element as JSON-like data; every child is a list (compared with ``_contains``)."""
    children = [child for child in node if child.tag.startswith(FHIR_NS)]
    if not children:
        return node.get("value")
    out: dict[str, list[Any]] = {}
    for child in children:
        out.setdefault(_tag(child), []).append(_value(child))
    return out


def _first(node: ET.Element, name: str) -> str | None:
    found = node.find(FHIR_NS + name)
    return None if found is None else found.get("value")


def _element(node: ET.Element) -> Element:
    fixed = pattern = None
    for child in node:
        tag = _tag(child)
        if tag.startswith("fixed"):
            fixed = [_value(child)]
        elif tag.startswith("pattern"):
            pattern = [_value(child)]
    minimum = _first(node, "min")
    binding = node.find(FHIR_NS + "binding")
    required = None
    if binding is not None and _first(binding, "strength") == "required":
        required = _first(binding, "valueSet")
    profiles = tuple(p.get("value", "") for t in node.findall(FHIR_NS + "type") for p in t.findall(FHIR_NS + "profile"))
    slicing = node.find(FHIR_NS + "slicing")
    discriminators: tuple[tuple[str, str], ...] = ()
    if slicing is not None:
        discriminators = tuple(
            (_first(d, "type") or "", _first(d, "path") or "") for d in slicing.findall(FHIR_NS + "discriminator")
        )
    return Element(
        id=node.get("id", ""),
        min=None if minimum is None else int(minimum),
        max=_first(node, "max"),
        fixed=fixed,
        pattern=pattern,
        required_value_set=required,
        profiles=profiles,
        discriminators=discriminators,
    )


def read_profile(path: Path) -> Profile:
    root = ET.parse(path).getroot()  # noqa: S314 - the published UK Core files in our own fixtures
    url = _first(root, "url") or ""
    kind = _first(root, "type") or ""
    elements: dict[str, Element] = {}
    for section in ("snapshot", "differential"):
        holder = root.find(FHIR_NS + section)
        if holder is None:
            continue
        for node in holder.findall(FHIR_NS + "element"):
            element = _element(node)
            elements[element.id] = element
        break
    urls = frozenset(p for e in elements.values() if e.id.split(".")[-1].startswith(EXTENSION_KEYS) for p in e.profiles)
    return Profile(url=url, type=kind, elements=elements, extension_urls=urls)


def _codes(node: ET.Element, system: str) -> set[tuple[str, str]]:
    found = set()
    for concept in node.iter(FHIR_NS + "concept"):
        code = _first(concept, "code")
        if code:
            found.add((system, code))
    return found


def read_value_sets(value_sets: Path, code_systems: Path) -> dict[str, frozenset[tuple[str, str]]]:
    """Each value set's (system, code) pairs: its expansion if published, else its compose (whole systems)."""
    systems: dict[str, set[tuple[str, str]]] = {}
    for path in sorted(code_systems.glob("*.xml")):
        root = ET.parse(path).getroot()  # noqa: S314
        url = _first(root, "url") or ""
        systems[url] = _codes(root, url)
    sets: dict[str, frozenset[tuple[str, str]]] = {}
    for path in sorted(value_sets.glob("*.xml")):
        root = ET.parse(path).getroot()  # noqa: S314
        url = _first(root, "url") or ""
        pairs: set[tuple[str, str]] = set()
        expansion = root.find(FHIR_NS + "expansion")
        if expansion is not None:
            for item in expansion.iter(FHIR_NS + "contains"):
                system, code = _first(item, "system"), _first(item, "code")
                if system and code:
                    pairs.add((system, code))
        compose = root.find(FHIR_NS + "compose")
        for include in [] if compose is None else compose.findall(FHIR_NS + "include"):
            system = _first(include, "system") or ""
            listed = _codes(include, system)
            pairs |= listed or systems.get(system, set())
        sets[url] = frozenset(pairs)
    return sets


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _contains(actual: Any, pattern: Any) -> bool:
    """``actual`` (JSON) contains ``pattern`` (from ``_value``: every child a list)."""
    if isinstance(pattern, dict):
        if not isinstance(actual, dict):
            return False
        return all(
            any(_contains(a, p) for a in _as_list(actual.get(key, []))) for key, items in pattern.items() for p in items
        )
    return isinstance(actual, str | int | float | bool) and str(actual).lower() == str(pattern).lower()


def _equals(actual: Any, fixed: Any) -> bool:
    if isinstance(fixed, dict):
        if not isinstance(actual, dict) or set(actual) - {"id"} != set(fixed):
            return False
        return all(
            len(_as_list(actual[k])) == len(v)
            and all(_equals(a, f) for a, f in zip(_as_list(actual[k]), v, strict=True))
            for k, v in fixed.items()
        )
    return _contains(actual, fixed)


Located = list[tuple[str, Any]]


def _children(path: str, node: Any, name: str) -> Located:
    if not isinstance(node, dict):
        return []
    if name.endswith("[x]"):
        stem = name[:-3]
        keys = [k for k in node if k.startswith(stem) and k[len(stem) : len(stem) + 1].isupper()]
    else:
        keys = [name] if name in node else []
    found: Located = []
    for key in keys:
        value = node[key]
        if isinstance(value, list):
            found += [(f"{path}.{key}[{i}]", item) for i, item in enumerate(value)]
        else:
            found.append((f"{path}.{key}", value))
    return found


class Checker:
    def __init__(
        self,
        profiles: dict[str, Profile],
        extensions: dict[str, Profile],
        value_sets: dict[str, frozenset[tuple[str, str]]],
    ) -> None:
        self.profiles = profiles
        self.extensions = extensions
        self.value_sets = value_sets

    @classmethod
    def from_folder(cls, folder: Path) -> Checker:
        """``folder`` is shared/fixtures/uk-core (structuredefinitions/, valuesets/, codesystems/)."""
        profiles: dict[str, Profile] = {}
        extensions: dict[str, Profile] = {}
        for path in sorted((folder / "structuredefinitions").glob("*.xml")):
            profile = read_profile(path)
            (extensions if profile.type == "Extension" else profiles)[profile.url] = profile
        return cls(profiles, extensions, read_value_sets(folder / "valuesets", folder / "codesystems"))

    def profile_for(self, resource: dict[str, Any]) -> Profile | None:
        named = resource.get("meta", {}).get("profile", [])
        for url in named:
            if url in self.profiles:
                return self.profiles[url]
        return self.profiles.get(UK_CORE + "UKCore-" + str(resource.get("resourceType")))

    def check(self, resource: dict[str, Any]) -> list[str]:
        kind = str(resource.get("resourceType", ""))
        profile = self.profile_for(resource)
        if profile is None:
            return [f"{kind or 'resourceType'}: no UK Core profile held for this resource type"]
        problems: list[str] = []
        if kind != profile.type:
            problems.append(f"{kind}: the profile {profile.url} is for {profile.type}")
        problems += self._against(profile, kind, resource)
        problems += self._extensions(profile, kind, resource)
        return problems

    def _against(self, profile: Profile, root_path: str, root: Any) -> list[str]:
        problems: list[str] = []
        for element in profile.elements.values():
            segments = element.id.split(".")
            if len(segments) < 2 or "/" in element.id:
                continue
            parents = self._resolve(profile, root_path, root, segments[:-1])
            if parents is None:
                continue
            for parent_path, parent in parents:
                nodes = self._step(profile, segments[:-1], parent_path, parent, segments[-1])
                if nodes is None:
                    continue
                name = segments[-1]
                problems += self._cardinality(element, parent_path, name, len(nodes))
                for path, value in nodes:
                    problems += self._value(element, path, value)
        return problems

    def _resolve(self, profile: Profile, root_path: str, root: Any, segments: list[str]) -> Located | None:
        located: Located = [(root_path, root)]
        for depth in range(1, len(segments)):
            step: Located = []
            for path, node in located:
                found = self._step(profile, segments[:depth], path, node, segments[depth])
                if found is None:
                    return None
                step += found
            located = step
        return located

    def _step(self, profile: Profile, before: list[str], path: str, node: Any, segment: str) -> Located | None:
        """The children named by ``segment`` (``name`` or ``name:slice``); None if a slice cannot be told apart."""
        name, _, slice_name = segment.partition(":")
        found = _children(path, node, name)
        if not slice_name:
            return found
        slice_id = ".".join([*before, segment])
        if name in EXTENSION_KEYS:
            urls = profile.elements[slice_id].profiles if slice_id in profile.elements else ()
            return [(p, v) for p, v in found if isinstance(v, dict) and v.get("url") in urls] if urls else None
        slicing = profile.elements.get(".".join([*before, name]))
        if slicing is None or not slicing.discriminators:
            return None
        kept = found
        for kind, sub in slicing.discriminators:
            rule = profile.elements.get(f"{slice_id}.{sub}")
            wanted = None if rule is None else (rule.fixed or rule.pattern)
            if kind not in ("value", "pattern") or wanted is None:
                return None
            kept = [(p, v) for p, v in kept if any(_contains(c, wanted[0]) for _, c in _children(p, v, sub))]
        return kept

    @staticmethod
    def _cardinality(element: Element, parent_path: str, name: str, count: int) -> list[str]:
        label = f"{parent_path}.{name.replace(':', ' slice ')}"
        if element.min is not None and count < element.min:
            return [f"{label}: at least {element.min} required, found {count}"]
        if element.max not in (None, "*") and count > int(str(element.max)):
            return [f"{label}: at most {element.max} allowed, found {count}"]
        return []

    def _value(self, element: Element, path: str, value: Any) -> list[str]:
        problems = []
        if element.fixed is not None and not _equals(value, element.fixed[0]):
            problems.append(f"{path}: must be exactly {_show(element.fixed[0])}")
        if element.pattern is not None and not _contains(value, element.pattern[0]):
            problems.append(f"{path}: must match the pattern {_show(element.pattern[0])}")
        allowed = self.value_sets.get(element.required_value_set or "")
        if allowed is not None and not _in_value_set(value, allowed):
            problems.append(f"{path}: code not in the required value set {element.required_value_set}")
        return problems

    def _extensions(self, profile: Profile, path: str, node: Any) -> list[str]:
        """Every extension's URL is known; the ones we hold are checked against their definitions."""
        problems: list[str] = []
        if isinstance(node, list):
            for i, item in enumerate(node):
                problems += self._extensions(profile, f"{path}[{i}]", item)
            return problems
        if not isinstance(node, dict):
            return problems
        for key, value in node.items():
            if key not in EXTENSION_KEYS:
                problems += self._extensions(profile, f"{path}.{key}", value)
                continue
            for i, extension in enumerate(_as_list(value)):
                where = f"{path}.{key}[{i}]"
                url = extension.get("url", "") if isinstance(extension, dict) else ""
                if url in self.extensions:
                    problems += self._against(self.extensions[url], where, extension)
                elif url not in profile.extension_urls and not url.startswith(HL7_CORE_EXTENSIONS):
                    problems.append(f"{where}.url: unknown extension {url!r} (not in {profile.url})")
        return problems


def _in_value_set(value: Any, allowed: frozenset[tuple[str, str]]) -> bool:
    codes = {code for _, code in allowed}
    if isinstance(value, str):
        return value in codes
    if not isinstance(value, dict):
        return False
    codings = value.get("coding", []) if "coding" in value else [value]
    return any((c.get("system"), c.get("code")) in allowed for c in codings if isinstance(c, dict))


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {', '.join(_show(v) for v in vs)}" for k, vs in value.items()) + "}"
    return repr(value)


def find_folder(start: Path, configured: str = "") -> Path | None:
    """The UK Core folder: ``configured`` if set, else ``shared/fixtures/uk-core`` beside ``start`` or above it."""
    if configured:
        return Path(configured) if Path(configured).is_dir() else None
    for folder in [start, *start.parents]:
        candidate = folder / "shared" / "fixtures" / "uk-core"
        if candidate.is_dir():
            return candidate
    return None
