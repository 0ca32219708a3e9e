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
