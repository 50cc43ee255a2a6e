"""Every test the hazard log cites as proof of a control exists (a control counts only if a named test proves it)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOG = ROOT / "docs" / "clinical-safety" / "hazard-log.md"
CITATION = re.compile(r"(tests/[\w/]+\.py)::([\w:]+)")


def citations() -> list[tuple[str, str]]:
    return sorted(set(CITATION.findall(LOG.read_text())))


def defined(path: Path, name: str) -> bool:
    """``name`` is a top-level test function or class of ``path``, or ``Class::method``."""
    tree = ast.parse(path.read_text())
    first, *rest = name.split("::")
    kinds = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    node = next((n for n in tree.body if isinstance(n, kinds) and n.name == first), None)
    for part in rest:
        body = node.body if isinstance(node, ast.ClassDef) else []
        node = next((n for n in body if isinstance(n, kinds) and n.name == part), None)
    return node is not None


def test_the_hazard_log_cites_tests():
    assert len(citations()) >= 50


def test_every_cited_test_file_and_function_exists():
    missing = [
        f"{path}::{name}" for path, name in citations() if not (ROOT / path).is_file() or not defined(ROOT / path, name)
    ]
    assert missing == []


def test_defined_finds_functions_classes_and_methods(tmp_path):
    module = tmp_path / "test_sample.py"
    module.write_text("def test_a():\n    pass\n\n\nclass TestB:\n    def test_c(self):\n        pass\n")
    assert [defined(module, n) for n in ("test_a", "TestB", "TestB::test_c", "test_c", "TestB::test_a")] == [
        True,
        True,
        True,
        False,
        False,
    ]


def test_hazards_are_listed_once_each_in_id_order():
    ids = [int(n) for n in re.findall(r"(?m)^## H-(\d+) ", LOG.read_text())]
    assert len(ids) > 1
    assert ids == sorted(set(ids))
