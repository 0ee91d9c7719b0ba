"""Architecture guards: the import graph of src/analogscan has no cycle (imports inside functions
included), and no function in src/ is longer than 80 lines.

KNOWN_CYCLES / KNOWN_LONG list what is still to be untangled; both must only shrink. An entry that is
no longer true fails too, so the lists cannot go stale.
"""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO

SRC = REPO / "src"
PACKAGE = SRC / "analogscan"
MAX_LINES = 80

KNOWN_CYCLES: set[frozenset[str]] = set()
KNOWN_LONG: set[str] = set()


def modules(src: Path = SRC, package: str = "analogscan") -> dict[str, Path]:
    out: dict[str, Path] = {}
    for path in (src / package).rglob("*.py"):
        parts = list(path.relative_to(src).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _resolve(name: str, mods: dict[str, Path]) -> str | None:
    while name and name not in mods:
        name = name.rpartition(".")[0]
    return name or None


def import_graph(src: Path = SRC, package: str = "analogscan") -> dict[str, set[str]]:
    """Module -> modules of the package it imports, wherever the import statement stands."""
    mods = modules(src, package)
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for mod, path in mods.items():
        here = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = here.split(".")[: len(here.split(".")) - node.level + 1]
                    name = ".".join(base + ([node.module] if node.module else []))
                else:
                    name = node.module or ""
                # `from pkg import sub` imports the submodule when there is one, else pkg itself
                targets = [f"{name}.{a.name}" if f"{name}.{a.name}" in mods else name for a in node.names]
            for target in targets:
                found = _resolve(target, mods)
                if found and found != mod:
                    graph[mod].add(found)
    return graph


def cycles(graph: dict[str, set[str]]) -> set[frozenset[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: set[frozenset[str]] = set()

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.add(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.add(frozenset(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def package_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """The same graph with each module folded into its top-level unit (analogscan.report.csv_report →
    analogscan.report): a stage package may not depend on another that depends back on it."""

    def unit(mod: str) -> str:
        return ".".join(mod.split(".")[:2])

    out: dict[str, set[str]] = {}
    for mod, deps in graph.items():
        out.setdefault(unit(mod), set()).update(unit(d) for d in deps if unit(d) != unit(mod))
    for deps in list(out.values()):
        for d in deps:
            out.setdefault(d, set())
    return out


def long_functions() -> dict[str, int]:
    out: dict[str, int] = {}
    for mod, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                n = (node.end_lineno or node.lineno) - node.lineno + 1
                if n > MAX_LINES:
                    out[f"{mod}.{node.name}"] = n
    return out


def test_no_new_import_cycle() -> None:
    found = cycles(import_graph())
    new = found - KNOWN_CYCLES
    assert not new, "import cycles: " + "; ".join(" ⇄ ".join(sorted(c)) for c in new)
    gone = KNOWN_CYCLES - found
    assert not gone, "untangled, remove from KNOWN_CYCLES: " + "; ".join(" ⇄ ".join(sorted(c)) for c in gone)


def test_no_cycle_between_packages() -> None:
    found = cycles(package_graph(import_graph()))
    assert not found, "package cycles: " + "; ".join(" ⇄ ".join(sorted(c)) for c in found)


def test_no_new_long_function() -> None:
    found = long_functions()
    new = {k: v for k, v in found.items() if k not in KNOWN_LONG}
    assert not new, f"functions over {MAX_LINES} lines: {new}"
    gone = KNOWN_LONG - set(found)
    assert not gone, f"now short, remove from KNOWN_LONG: {sorted(gone)}"


def test_cycle_finder_sees_function_level_imports(tmp_path: Path) -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == {frozenset({"a", "b", "c"})}
    assert cycles({"a": {"b"}, "b": set()}) == set()
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "engine.py").write_text("from .sub import tool\n")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "tool.py").write_text("def f():\n    from ..engine import x\n")
    graph = import_graph(tmp_path, "pkg")
    assert graph["pkg.engine"] == {"pkg.sub.tool"}
    assert graph["pkg.sub.tool"] == {"pkg.engine"}
    assert cycles(graph) == {frozenset({"pkg.engine", "pkg.sub.tool"})}
    folded = package_graph(
        {"a.x.one": {"a.y.two"}, "a.y.two": {"a.y.three"}, "a.y.three": {"a.x.four"}, "a.x.four": set()}
    )
    assert cycles(folded) == {frozenset({"a.x", "a.y"})}
