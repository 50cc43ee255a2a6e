"""Conventions with a check behind them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "pimh"
THIN_MODULES = sorted(
    [*SRC.glob("*/views.py"), *SRC.glob("*/views/*.py"), *SRC.glob("api/*.py"), *SRC.glob("*/api.py")]
)
WRITE_METHODS = {
    "save",
    "delete",
    "create",
    "bulk_create",
    "update",
    "get_or_create",
    "update_or_create",
    "bulk_update",
}


def direct_writes(path: Path, root: Path = SRC) -> list[str]:
    """Calls like X.objects.create(...), obj.save(), qs.delete() in a module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in WRITE_METHODS:
            found.append(f"{path.relative_to(root)}:{node.lineno} .{node.func.attr}()")
    return found


def test_there_are_thin_modules_to_check():
    assert len(THIN_MODULES) >= 3


@pytest.mark.parametrize("path", THIN_MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_views_and_api_write_only_through_services(path):
    assert direct_writes(path) == []


def test_the_check_catches_a_direct_write(tmp_path):
    bad = tmp_path / "views.py"
    bad.write_text("def v(request):\n    Family.objects.create(x=1)\n    f.save()\n    f.refresh_from_db()\n")
    assert direct_writes(bad, root=tmp_path) == ["views.py:2 .create()", "views.py:3 .save()"]


def test_no_module_reads_families_without_scope_in_views():
    """Views fetch identifiable data through Scope, never a bare Family/Person manager."""
    offenders = [str(path.relative_to(SRC)) for path in THIN_MODULES if "Family.objects" in path.read_text()]
    assert offenders == []
