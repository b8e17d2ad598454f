"""The shape of `forum/`, read from its source with `ast` (imports inside functions included):
no cycle between its parts, no root module importing a domain module, no views module
importing another module's views, and every package saying what it owns.

A failure lists what it found, so it says where to look."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "forum"

# Root modules allowed to import domain modules: the wiring, and the schema Alembic reads.
ROOT_EXEMPT = {"app", "models"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in PACKAGE.rglob("*.py")}


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The forum module an imported name refers to (a module, or the module holding a name)."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def _imports(module: str, path: Path, modules: dict[str, Path]) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for name in names:
            target = _resolve(name, modules)
            if target and target != module and target != "forum":
                found.add(target)
    return found


def _part(module: str) -> str:
    """forum.cases.views -> cases; forum.web -> web (a root module is a part of its own)."""
    return module.split(".")[1] if module.count(".") >= 1 else module


def _is_domain(module: str) -> bool:
    return (PACKAGE / _part(module)).is_dir()


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    modules = _modules()
    return {module: _imports(module, path, modules) for module, path in modules.items()}


def _part_graph(graph) -> dict[str, set[tuple[str, str]]]:
    edges: dict[str, dict[str, list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))
    for module, targets in graph.items():
        for target in targets:
            if _part(module) != _part(target):
                edges[_part(module)][_part(target)].append((module, target))
    return edges


def _cycles(edges) -> list[list[str]]:
    """Strongly connected components with more than one part (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges.get(node, {}):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in list(edges):
        if node not in index:
            visit(node)
    return found


def test_no_cycle_between_parts(graph):
    edges = _part_graph(graph)
    problems = []
    for component in _cycles(edges):
        members = set(component)
        lines = [f"  {module} -> {target}"
                 for source in component for target_part, pairs in edges[source].items()
                 if target_part in members for module, target in pairs]
        problems.append(f"cycle between {', '.join(component)}:\n" + "\n".join(sorted(lines)))
    assert not problems, "\n".join(problems)


def test_root_modules_import_no_domain_module(graph):
    problems = sorted(
        f"{module} imports {target}"
        for module, targets in graph.items()
        if module.count(".") == 1 and not _is_domain(module) and _part(module) not in ROOT_EXEMPT
        for target in targets if _is_domain(target))
    assert not problems, "\n".join(problems)


def test_views_import_no_other_modules_views(graph):
    def is_views(module):
        return module.rpartition(".")[2].endswith("views")

    problems = sorted(
        f"{module} imports {target}"
        for module, targets in graph.items() if is_views(module)
        for target in targets if is_views(target) and _part(target) != _part(module))
    assert not problems, "\n".join(problems)


def test_every_package_says_what_it_owns():
    problems = []
    for folder in sorted(path for path in PACKAGE.rglob("*") if path.is_dir()):
        if not any(folder.glob("*.py")):
            continue
        init = folder / "__init__.py"
        if not init.exists():
            problems.append(f"{folder.relative_to(PACKAGE.parent)} has no __init__.py")
        elif not ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))):
            problems.append(f"{init.relative_to(PACKAGE.parent)} has no docstring")
    assert not problems, "\n".join(problems)


def test_no_import_for_side_effects():
    """Blueprints are registered explicitly, so nothing is imported only to add its routes."""
    problems = [f"{path.relative_to(PACKAGE.parent)}:{number}"
                for path in PACKAGE.rglob("*.py")
                for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
                if line.lstrip().startswith(("import ", "from ")) and "noqa: F401" in line]
    assert not problems, "imports kept only for their side effects:\n" + "\n".join(problems)
