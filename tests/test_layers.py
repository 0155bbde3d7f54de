"""The imports follow the data's flow (docs/architecture.md): no module imports from a room
after its own, so a newcomer reads the package from the ground up and nothing runs back up."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"

#: The rooms in order, by the first two parts of a module's name; a module may import only its own
#: room and those before it.
ROOMS: list[set[str]] = [
    {"rograph", "rograph.config", "rograph.namespaces", "rograph.sparql_text", "rograph.result_formats"},
    {"rograph.examples", "rograph.sources", "rograph.synth"},
    {"rograph.validation"},
    {"rograph.store"},
    {"rograph.curation", "rograph.executor"},
    {"rograph.web"},
    {"rograph.serve", "rograph.front"},
    {"rograph.cli", "rograph.__main__"},
]


def _room(module: str) -> int:
    key = ".".join(module.split(".")[:2])
    for number, names in enumerate(ROOMS):
        if key in names:
            return number
    raise AssertionError(f"{module} is in no room of ROOMS: add it where it belongs")


def _module_of(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, module: str) -> list[tuple[int, str]]:
    """Every rograph module ``path`` imports (also inside functions and ``TYPE_CHECKING``)."""
    found = []
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((node.lineno, importlib.util.resolve_name("." * node.level + (node.module or ""), package)))
    return [(line, name) for line, name in found if name == "rograph" or name.startswith("rograph.")]


def test_no_module_imports_from_a_room_after_its_own():
    modules = sorted(SRC.glob("rograph/**/*.py"))
    assert len(modules) > 50
    upward = [
        f"{path.relative_to(SRC)}:{line} imports {name}"
        for path in modules
        for line, name in _imports(path, _module_of(path))
        if _room(name) > _room(_module_of(path))
    ]
    assert upward == []


def test_the_rule_sees_an_import_that_runs_back_up(tmp_path):
    """The check reads imports the way they are written, relative ones and those in functions too."""
    executor = tmp_path / "rograph" / "executor"
    executor.mkdir(parents=True)
    (executor / "x.py").write_text("def f():\n    from ..web.sansio import negotiation\n", encoding="utf-8")
    imports = _imports(executor / "x.py", "rograph.executor.x")
    assert imports == [(2, "rograph.web.sansio")] and _room(imports[0][1]) > _room("rograph.executor.x")
