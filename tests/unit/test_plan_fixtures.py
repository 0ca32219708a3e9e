"""The plan-import fixtures (tests/fixtures/plans, issue 18) are well formed and agree with their
own texts. The expected proposals are written by hand; this test does not run the reader, it keeps
the hand-written data honest: valid JSON in NFC, the schema's keys, real ISO dates, award codes the
catalogue knows, and every phrase, parent number and recipient found where the file says it is."""
import json
import re
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from workflow.catalogue.data import CATALOGUE

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "plans"
EXPECTED = FIXTURES / "expected"
SEEDS = ROOT / "workflow" / "demo" / "seeds"

REQUIRED = {"number", "issuer", "place", "issued_on", "title", "kind", "basis", "parent", "period",
            "award_forms", "recipients", "milestones"}
ALLOWED = REQUIRED | {"issuer_parent", "issued_text", "assignments", "_warnings_min"}
KINDS = {"annual", "thematic", "congress", "campaign", "other"}
PURPOSES = {"submission", "report", "event"}
MILESTONE_KEYS = {"text", "sentence", "line", "purpose", "periods", "binds", "expected"}
AWARD_CODES = {entry["code"] for entry in CATALOGUE}


def plan_texts() -> list[Path]:
    return sorted(FIXTURES.glob("*.txt"))


def seed_texts() -> list[Path]:
    return sorted(SEEDS.glob("[0-9][0-9][0-9]_*.txt"))


def expected_files() -> list[Path]:
    return sorted(EXPECTED.glob("*.json"))


def source_of(expected: Path) -> Path:
    """seed_003.json ↔ workflow/demo/seeds/003_*.txt; name.json ↔ tests/fixtures/plans/name.txt."""
    if m := re.fullmatch(r"seed_(\d{3})", expected.stem):
        found = sorted(SEEDS.glob(f"{m.group(1)}_*.txt"))
        assert len(found) == 1, f"{expected.name}: expected one seed {m.group(1)}_*.txt, found {found}"
        return found[0]
    return FIXTURES / f"{expected.stem}.txt"


def flat(text: str) -> str:
    """NFC, conversion emphasis (*) dropped, whitespace collapsed: how the schema compares text."""
    return " ".join(unicodedata.normalize("NFC", text).replace("*", " ").split())


def lines_of(path: Path) -> list[str]:
    return [flat(line) for line in path.read_text(encoding="utf-8").split("\n")]


def iso(value, where: str) -> date:
    assert isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value), f"{where}: {value!r} is not ISO"
    return date.fromisoformat(value)  # raises on 2026-02-30


def load(path: Path) -> dict:
    raw = path.read_text(encoding="utf-8")
    assert raw == unicodedata.normalize("NFC", raw), f"{path.name} is not NFC"
    data = json.loads(raw)
    assert isinstance(data, dict), f"{path.name}: the expected plan must be an object"
    return data


def on_line(lines: list[str], line, where: str) -> str:
    assert isinstance(line, int) and 1 <= line <= len(lines), f"{where}: line {line!r} is outside the text"
    return lines[line - 1]


def test_every_plan_text_and_every_seed_has_a_hand_written_expected_file():
    wanted = {f"{p.stem}.json" for p in plan_texts()} | {f"seed_{p.name[:3]}.json" for p in seed_texts()}
    present = {p.name for p in expected_files()}
    assert len(plan_texts()) >= 5 and len(seed_texts()) == 5
    assert wanted - present == set(), "texts without an expected file"
    assert present - wanted == set(), "expected files without a text"


@pytest.mark.parametrize("path", plan_texts(), ids=lambda p: p.stem)
def test_a_fixture_plan_reads_like_a_real_plan(path):
    """UTF-8, NFC, no invisible characters; the parts the importer looks for are there."""
    text = path.read_text(encoding="utf-8")
    assert text == unicodedata.normalize("NFC", text)
    assert not [c for c in text if unicodedata.category(c) == "Cf" or (c.isspace() and c not in " \n\t")]
    for part in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "KẾ HOẠCH", "Căn cứ", "Nơi nhận:"):
        assert part in text, f"{path.name} lacks {part!r}"
    assert 600 <= len(text.split()) <= 2000, "a plan of 1.5 to 4 pages"


@pytest.mark.parametrize("path", expected_files(), ids=lambda p: p.stem)
def test_an_expected_proposal_is_well_formed_and_agrees_with_its_text(path):
    plan = load(path)
    src = source_of(path)
    assert src.exists(), f"{path.name}: no text {src}"
    lines = lines_of(src)
    whole = " ".join(lines)
    name = path.stem

    assert plan.keys() >= REQUIRED, f"{name}: missing {sorted(REQUIRED - plan.keys())}"
    assert plan.keys() <= ALLOWED, f"{name}: unknown keys {sorted(plan.keys() - ALLOWED)}"
    assert plan["kind"] in KINDS
    for key in ("number", "issuer", "issuer_parent", "place", "issued_text", "title"):
        value = plan.get(key)
        assert value is None or (isinstance(value, str) and value == flat(value) and value), f"{name}.{key}"
        if key != "number" and value is not None:
            assert value in whole, f"{name}.{key} {value!r} is not in the text"
    if plan["number"] is not None:
        assert plan["number"].split("/", 1)[-1] in whole, f"{name}: symbol of {plan['number']!r} not in the text"
    issued = iso(plan["issued_on"], f"{name}.issued_on") if plan["issued_on"] is not None else None
    if "_warnings_min" in plan:
        assert isinstance(plan["_warnings_min"], int) and plan["_warnings_min"] >= 1

    assert isinstance(plan["basis"], list)
    for clause in plan["basis"]:
        text = on_line(lines, clause["line"], f"{name}.basis")
        assert re.search(r"\b(Căn cứ|Thực hiện|Triển khai)\b", text), f"{name}: line {clause['line']} is no basis"

    if (parent := plan["parent"]) is not None:
        text = on_line(lines, parent["line"], f"{name}.parent")
        assert f"Kế hoạch số {parent['number']}" in text, f"{name}: parent not on line {parent['line']}"
        when = iso(parent["date"], f"{name}.parent.date")
        assert f"{when.day:02d}/{when.month:02d}/{when.year}" in text or f"{when.day}/{when.month}/{when.year}" in text
        assert parent["line"] in {clause["line"] for clause in plan["basis"]}, "a parent is named in a basis"

    if (period := plan["period"]) is not None:
        start, end = iso(period["start"], f"{name}.period"), iso(period["end"], f"{name}.period")
        assert start <= end
        assert period["text"] in on_line(lines, period["line"], f"{name}.period")

    for form in plan["award_forms"]:
        assert form["award_type"] is None or form["award_type"] in AWARD_CODES, f"{name}: {form['award_type']}"
        on_line(lines, form["line"], f"{name}.award_forms")

    assert all(isinstance(r, str) and r == flat(r) and not r.startswith("-") and not r.endswith(";")
               for r in plan["recipients"])
    after = whole[whole.rfind("Nơi nhận:"):] if plan["recipients"] else ""
    for recipient in plan["recipients"]:
        assert recipient in after, f"{name}: recipient {recipient!r} is not under 'Nơi nhận:'"

    previous = 0
    for m in plan["milestones"]:
        assert m.keys() <= MILESTONE_KEYS and {"text", "line", "periods"} <= m.keys(), f"{name}: {m}"
        assert m["line"] >= previous, f"{name}: milestones out of text order at {m['text']!r}"
        previous = m["line"]
        assert m["text"] in on_line(lines, m["line"], f"{name}.milestones"), f"{name}: {m['text']!r} not on line"
        assert m.get("purpose", "event") in PURPOSES
        assert m.get("expected", False) == ("dự kiến" in m["text"].lower())
        assert m["periods"], f"{name}: {m['text']!r} has no period"
        for p in m["periods"]:
            end = iso(p["end"], f"{name}: {m['text']}")
            if p["start"] is not None:
                assert iso(p["start"], f"{name}: {m['text']}") <= end
            if issued is not None:
                assert end >= issued, f"{name}: {m['text']!r} ends before the plan is issued"
