"""Docs checked by tests: every CLI command and every setting is documented."""

from __future__ import annotations

import re
from pathlib import Path

from pimh import cli

ROOT = Path(__file__).resolve().parents[1]


def test_every_cli_command_is_in_the_cli_reference():
    reference = (ROOT / "docs" / "cli.md").read_text()
    assert cli.COMMANDS
    missing = [name for name in cli.COMMANDS if f"`pimh {name}" not in reference]
    assert missing == []


def test_every_environment_setting_is_in_the_configuration_guide():
    source = (ROOT / "src" / "pimh" / "config" / "settings.py").read_text()
    names = set(re.findall(r'env_(?:str|bool|int|list)\(\s*"([A-Z_]+)"', source))
    guide = (ROOT / "docs" / "configuration.md").read_text()
    assert len(names) >= 15
    assert sorted(name for name in names if f"`{name}`" not in guide) == []


def test_readme_gives_the_two_commands_and_demo_logins():
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme
    assert "make test" in readme
    assert "demo-password-2026" in readme


def test_no_epds_item_text_ships_in_the_repository():
    """Distinctive phrases of the copyrighted EPDS items must appear nowhere (licence)."""
    # Fragments are assembled so that this test file does not itself contain them.
    fragments = [" ".join(["able", "to", "laugh"]), " ".join(["looked", "forward", "with", "enjoyment"]),
                 " ".join(["blamed", "myself", "unnecessarily"]), " ".join(["harming", "myself"])]
    offenders = []
    for path in [*ROOT.joinpath("src").rglob("*"), *ROOT.joinpath("docs").rglob("*.md"), ROOT / "README.md"]:
        if path.is_file() and path.suffix in {".py", ".jinja", ".html", ".md", ".json", ".js", ".css"}:
            text = path.read_text(errors="ignore").lower()
            offenders += [f"{path.relative_to(ROOT)}: {f}" for f in fragments if f in text]
    assert offenders == []
