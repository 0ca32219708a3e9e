"""Every hand-written plan fixture and every seed read by `read_plan`: the expected JSON
(tests/fixtures/plans/expected/, written from the text, never from the reader) must be a deep
subset of the proposal's `plan` (rules in tests/fixtures/plans/README.md)."""
import json
import re
from pathlib import Path

import pytest

from workflow.plans.reading import read_plan

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = ROOT / "tests" / "fixtures" / "plans" / "expected"


def source_of(expected: Path) -> Path:
    if m := re.fullmatch(r"seed_(\d{3})", expected.stem):
        return next((ROOT / "workflow" / "demo" / "seeds").glob(f"{m.group(1)}_*.txt"))
    return ROOT / "tests" / "fixtures" / "plans" / f"{expected.stem}.txt"


def differences(expected, actual, where: str = "plan") -> list[str]:
    """Where `expected` is not a deep subset of `actual`, one line each."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{where}: expected an object, got {actual!r}"]
        out = []
        for key, value in expected.items():
            if key not in actual:
                out.append(f"{where}.{key}: missing (expected {value!r})")
            else:
                out += differences(value, actual[key], f"{where}.{key}")
        return out
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{where}: expected {len(expected)} items, got "
                    f"{len(actual) if isinstance(actual, list) else actual!r}: {actual!r}"]
        return [d for i, (e, a) in enumerate(zip(expected, actual)) for d in differences(e, a, f"{where}[{i}]")]
    return [] if expected == actual else [f"{where}: expected {expected!r}, got {actual!r}"]


@pytest.mark.parametrize("expected_file", sorted(EXPECTED.glob("*.json")), ids=lambda p: p.stem)
def test_the_proposal_holds_what_the_fixture_states(expected_file):
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    warnings_min = expected.pop("_warnings_min", 0)
    proposal = read_plan(source_of(expected_file).read_text(encoding="utf-8")).to_dict()
    found = differences(expected, proposal["plan"])
    assert not found, "\n".join(found)
    assert len(proposal["warnings"]) >= warnings_min


def test_there_are_fixtures_for_every_seed_and_five_other_plans():
    names = {p.stem for p in EXPECTED.glob("*.json")}
    assert {f"seed_00{i}" for i in range(5)} <= names and len(names) >= 10
