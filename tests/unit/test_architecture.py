"""The import rules of DESIGN.md §4: dependencies point down, never up."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = {
    "states": {"workflow", "web", "scheduler", "sqlalchemy", "flask"},
    "workflow": {"web", "scheduler", "flask"},
    "scheduler": {"web"},
}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module.split(".")[0])
    return out


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_a_package_never_imports_the_layers_above_it(package):
    files = list((ROOT / package).rglob("*.py"))
    assert files
    bad = {(str(f.relative_to(ROOT)), m) for f in files for m in imports_of(f) & FORBIDDEN[package]}
    assert not bad


def test_one_machine_per_route_is_compiled_once_and_shared():
    from states import ROUTES, machine_for
    for code in ROUTES:
        assert machine_for(code) is machine_for(code)
        m = machine_for(code).machine
        assert not any(t.startswith("to_") for t in m.events), "auto_transitions must be off"
        assert m.models == []  # no nomination is ever bound to the machine


# --- the house checks itself ---------------------------------------------------------------

PACKAGES = ("states", "workflow", "web", "scheduler")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(f): f for p in PACKAGES for f in (ROOT / p).rglob("*.py")}


def imported_modules(path: Path, known: dict[str, Path]) -> set[str]:
    """Every module of ours that `path` imports, at the top or inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name in known}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for a in node.names:
                sub = f"{node.module}.{a.name}"
                out.add(sub if sub in known else node.module)
    return {m for m in out if m in known}


def test_web_never_touches_the_database_directly():
    """Pages and the API call services; SQL and tables stay in workflow/."""
    known = modules()
    bad = sorted((name, m) for name, f in known.items() if name.startswith("web")
                 for m in imports_of(f) | imported_modules(f, known)
                 if m == "sqlalchemy" or m == "workflow.models" or m.startswith("workflow.models."))
    assert bad == []


def test_use_cases_never_reach_into_the_sweep():
    """The sweep calls the services' write path, never the other way round."""
    known = modules()
    bad = sorted((name, m) for name, f in known.items()
                 if name.startswith("workflow.") and not name.startswith("workflow.sweep")
                 for m in imported_modules(f, known) if m.startswith("workflow.sweep"))
    assert bad == []


def test_there_is_no_import_cycle():
    known = modules()
    graph = {name: imported_modules(f, known) - {name} for name, f in known.items()}
    # A package's __init__ re-exporting its own modules is not a cycle of the design.
    graph = {n: {m for m in deps if not (m.startswith(n + ".") or n.startswith(m + "."))} for n, deps in graph.items()}
    cycles = strongly_connected(graph)
    assert [sorted(c) for c in cycles if len(c) > 1] == []


def strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm, iteratively."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[set[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    component.add(top)
                    if top == node:
                        break
                out.append(component)
    return out
