"""Every setting and command is documented in README.md (datasette's habit)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def test_the_readme_starts_with_the_two_setup_commands() -> None:
    commands = re.search(r"```sh\n(.*?)```", README, re.S)
    assert commands is not None
    assert commands.group(1).split("\n")[:2] == ["uv run turntide demo", "uv run pytest"]


def test_every_environment_variable_is_documented() -> None:
    settings = (ROOT / "src/turntide/settings.py").read_text()
    names = set(re.findall(r"(?:env_\w+|secret)\(\s*\"([A-Z_]+)\"", settings))
    assert "SECRET_KEY" in names
    undocumented = sorted(name for name in names if f"`{name}`" not in README)
    assert undocumented == []


def test_every_command_is_documented() -> None:
    from turntide.cli import build_parser

    parser = build_parser()
    subcommands = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    undocumented = sorted(name for name in subcommands if f"`turntide {name}" not in README)
    assert undocumented == []
