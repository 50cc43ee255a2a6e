"""Conventions with a check behind them."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "pimh"
THIN_MODULES = sorted(
    [
        *SRC.glob("*/views.py"),
        *SRC.glob("*/*_views.py"),
        *SRC.glob("*/views/*.py"),
        *SRC.glob("api/*.py"),
        *SRC.glob("*/api.py"),
    ]
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


# ---- reads go through Scope ---------------------------------------------------------------------

READ_MODULES = sorted(
    [
        *SRC.glob("*/views.py"),
        *SRC.glob("*/*_views.py"),
        *SRC.glob("*/views/*.py"),
        *SRC.glob("*/presenters.py"),
        *SRC.glob("*/presenters/*.py"),
    ]
)
# Managers a view or presenter may use directly; everything else is read through Scope properties
# (scope.families, scope.tasks, scope.flags, ...) or a relation of a record the Scope opened.
ALLOWED_MANAGERS = {
    "User": "practitioners' accounts, not patient records",
    "SupervisionSession": "practitioners' supervision, not patient records",
    "TrainingRecord": "practitioners' training, not patient records",
    "ApiToken": "the signed-in user's own API tokens, not patient records",
}
# Functions that receive a family already opened through the Scope and have no relation to follow.
ALLOWED_FUNCTIONS = {
    ("referrals/presenters.py", "family_entries"): "referral events of one opened family, for its timeline",
    ("families/presenters.py", "open_flag_exists"): "a correlated EXISTS on families already fetched through the scope",
}


def manager_reads(path: Path, root: Path = SRC) -> list[str]:
    """``X.objects`` in a module, except the allowed managers, Prefetch querysets and allowed functions."""
    tree = ast.parse(path.read_text())
    relative = str(path.relative_to(root))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        prefetch = isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "Prefetch"
        allowed_function = isinstance(node, ast.FunctionDef) and (relative, node.name) in ALLOWED_FUNCTIONS
        if prefetch or allowed_function:
            skipped.update(id(inner) for inner in ast.walk(node))
    return [
        f"{relative}:{node.lineno} {ast.unparse(node)}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr == "objects"
        and id(node) not in skipped
        and ast.unparse(node.value) not in ALLOWED_MANAGERS
    ]


def test_there_are_read_modules_to_check():
    assert len(READ_MODULES) >= 8


@pytest.mark.parametrize("path", READ_MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_views_and_presenters_read_through_scope(path):
    assert manager_reads(path) == []


def test_the_scope_check_catches_a_bare_manager(tmp_path):
    bad = tmp_path / "presenters.py"
    bad.write_text(
        "def p(scope, lead):\n"
        "    Task.objects.filter(x=1)\n"
        "    apps.get_model('screening', 'UrgentFlag').objects.all()\n"
        "    User.objects.filter(pk=1)\n"
        "    Prefetch('people', queryset=Person.objects.all())\n"
        "    scope.tasks.filter(x=1)\n"
    )
    assert manager_reads(bad, root=tmp_path) == [
        "presenters.py:2 Task.objects",
        "presenters.py:3 apps.get_model('screening', 'UrgentFlag').objects",
    ]


def test_allowed_functions_exist():
    """An allow-list entry whose function was renamed or removed would silently allow nothing; drop it."""
    defined = {
        (str(path.relative_to(SRC)), node.name)
        for path in READ_MODULES
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.FunctionDef)
    }
    assert set(ALLOWED_FUNCTIONS) <= defined


def test_no_api_module_reads_families_without_scope():
    """The API fetches identifiable data through Scope, never a bare Family manager."""
    offenders = [str(path.relative_to(SRC)) for path in THIN_MODULES if "Family.objects" in path.read_text()]
    assert offenders == []


# ---- every pure module is type-checked strictly ----------------------------------------------------

FRAMEWORK_ROOTS = {"django", "rules", "ninja", "axes", "django_otp", "django_htmx", "whitenoise"}
NOT_PURE = {"src/pimh/config/settings.py"}  # Django reads it; its names are Django's


def imported_modules(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def pure_modules() -> set[str]:
    """Modules that import no framework, directly or through another pimh module."""
    modules = {
        path: ".".join(path.relative_to(SRC.parent).with_suffix("").parts)
        for path in SRC.rglob("*.py")
        if "migrations" not in path.parts and path.name != "__init__.py"
    }
    imports = {name: imported_modules(path) for path, name in modules.items()}
    impure = {name for name, found in imports.items() if {m.split(".")[0] for m in found} & FRAMEWORK_ROOTS}
    changed = True
    while changed:
        changed = False
        for name, found in imports.items():
            if name not in impure and found & impure:
                impure.add(name)
                changed = True
    return {f"src/{name.replace('.', '/')}.py" for name in modules.values() if name not in impure}


def test_every_pure_module_is_checked_by_mypy_strict():
    config = tomllib.loads((SRC.parents[1] / "pyproject.toml").read_text())["tool"]["mypy"]
    assert config["strict"] is True
    assert sorted(pure_modules() - NOT_PURE - set(config["files"])) == []
