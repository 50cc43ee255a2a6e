"""`make run` and `make serve` install the runtime dependencies only (no dev group).

Every module the application imports must therefore come from a runtime dependency of
pyproject.toml or one of theirs, or the fresh machine fails at start-up while the test suite (which
installs the dev group) stays green. This happened once: the FHIR import's parser was a dev
dependency.
"""

from __future__ import annotations

import ast
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "src" / "pimh"

# Imported only on a path the runtime install does not offer, with the reason.
OPTIONAL = {"pyspark": "the Spark engine (`--engine spark`) needs the dev install, as documented"}


def _runtime_closure() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pending = [Requirement(text) for text in project["dependencies"]]
    seen: set[str] = set()
    while pending:
        requirement = pending.pop()
        name = canonicalize_name(requirement.name)
        extras = sorted(requirement.extras)
        key = f"{name}[{','.join(extras)}]"
        if key in seen:
            continue
        seen.add(key)
        seen.add(name)
        for text in metadata.requires(name) or []:
            child = Requirement(text)
            environments = [{"extra": extra} for extra in extras] or [{"extra": ""}]
            if child.marker is None or any(child.marker.evaluate(env) for env in environments):
                pending.append(child)
    return {key for key in seen if "[" not in key}


def _imported_top_modules() -> dict[str, str]:
    found: dict[str, str] = {}
    for path in sorted(SOURCE.rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], str(path.relative_to(ROOT)))
    return found


def test_the_runtime_closure_is_computed_from_the_installed_metadata() -> None:
    closure = _runtime_closure()
    # A direct dependency, and one only reached through another (django -> asgiref).
    assert {"django", "asgiref", "pyarrow"} <= closure
    # The dev group is not in it.
    assert not {"pytest", "hypothesis", "playwright", "pyspark"} & closure


def test_every_module_the_application_imports_comes_from_a_runtime_dependency() -> None:
    closure = _runtime_closure()
    providers = metadata.packages_distributions()
    missing = []
    for module, where in sorted(_imported_top_modules().items()):
        if module in sys.stdlib_module_names or module in {"pimh", "__future__"} or module in OPTIONAL:
            continue
        distributions = {canonicalize_name(name) for name in providers.get(module, [])}
        if not distributions:
            missing.append(f"{module} (imported in {where}): no installed distribution provides it")
        elif not distributions & closure:
            missing.append(
                f"{module} (imported in {where}) comes from {sorted(distributions)}: not a runtime dependency"
            )
    assert missing == []
