"""No module of turntide imports, at module level, a module that imports it back; no Django
app imports, through any of its modules, an app that imports it back.

A cycle works only while the import order happens to suit it (a model imported at the bottom
of `models.py`, say), and breaks when someone imports the other end first. Imports inside
functions (an app's `ready()`) and under `TYPE_CHECKING` run later or never, so they count not.
Between apps, data flows one way (DESIGN.md): an app depends on those to its left, and a
later app's effects on an earlier one go through signals or tasks, never imports.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import turntide

ROOT = Path(turntide.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in ROOT.rglob("*.py")}


def _ancestors(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:end]) for end in range(1, len(parts))]


def _top_level_imports(name: str) -> set[str]:
    """The turntide modules that importing `name` imports first, parents included."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    imported = {module for module in found if module in MODULES}
    own = set(_ancestors(name))
    return {m for module in imported for m in (*_ancestors(module), module)} - own - {name}


def _cycle_through(start: str, graph: dict[str, set[str]]) -> list[str] | None:
    """A path of imports from `start` back to itself, if there is one."""
    stack, seen = [(start, [start])], set()
    while stack:
        module, path = stack.pop()
        for target in sorted(graph[module]):
            if target == start:
                return [*path, start]
            if target not in seen:
                seen.add(target)
                stack.append((target, [*path, target]))
    return None


def test_no_module_level_import_cycles() -> None:
    graph = {name: _top_level_imports(name) for name in MODULES}
    cycles = [cycle for name in sorted(graph) if (cycle := _cycle_through(name, graph))]
    assert cycles == []


APPS = {path.parent.name for path in ROOT.glob("*/apps.py")}


def _app(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in APPS else None


def _app_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {app: set() for app in APPS}
    for name in MODULES:
        if (app := _app(name)) is not None:
            graph[app].update(_app(module) or app for module in _top_level_imports(name))
    return {app: imported - {app} for app, imported in graph.items()}


def test_no_two_apps_import_each_other() -> None:
    graph = _app_graph()
    cycles = [cycle for app in sorted(graph) if (cycle := _cycle_through(app, graph))]
    assert cycles == []


README = ROOT.parents[1] / "README.md"
MAP_ROW = re.compile(r"^\| `(\w+)` \| (.*) \|$", re.MULTILINE)


def test_the_readme_map_of_app_imports_is_true() -> None:
    section = README.read_text(encoding="utf-8").partition("## Architecture")[2].split("\n## ")[0]
    documented = {
        app: set(re.findall(r"`(\w+)`", imports)) for app, imports in MAP_ROW.findall(section)
    }
    assert documented == _app_graph()
