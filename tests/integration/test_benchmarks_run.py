"""The benchmarks still run and say what they measured (tiny sizes; no timing is asserted:
figures live in bench/README.md, not in tests)."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def bench(*args) -> dict:
    r = subprocess.run([sys.executable, "-m", "bench", *args], cwd=ROOT, capture_output=True, text=True,
                       timeout=240)
    assert r.returncode == 0, r.stderr[-2000:]
    last = json.loads(r.stdout.strip().splitlines()[-1])
    assert last["bench"] == args[0]
    return last


def test_the_transition_benchmark_reports_the_engine_the_floor_and_their_ratio():
    out = bench("transitions", "--n", "20")
    assert out["steps"] == 100 and out["db"] == "sqlite"
    assert out["steps_per_s"] > 0 and out["floor_steps_per_s"] > 0
    assert out["ratio"] == pytest.approx(out["steps_per_s"] / out["floor_steps_per_s"], rel=0.01)


def test_the_peer_benchmark_runs_the_engine_spiffworkflow_and_the_floor_on_one_workload():
    out = bench("peers", "--n", "10")
    assert out["steps"] == 50 and out["db"] == "sqlite"
    assert min(out["engine_steps_per_s"], out["spiff_steps_per_s"], out["floor_steps_per_s"]) > 0
    assert out["engine_vs_spiff"] == pytest.approx(out["engine_steps_per_s"] / out["spiff_steps_per_s"], rel=0.02)
    assert out["engine_vs_floor"] == pytest.approx(out["engine_steps_per_s"] / out["floor_steps_per_s"], rel=0.02)


def test_the_bulk_benchmark_moves_every_nomination_it_made():
    out = bench("bulk", "--n", "300")
    assert out["succeeded"] == 300 and out["nominations_per_s"] > 0


def test_an_unknown_benchmark_is_refused_with_the_list():
    r = subprocess.run([sys.executable, "-m", "bench", "nope"], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode != 0 and "transitions" in r.stderr


def test_the_inbox_and_sweep_benchmarks_run_on_a_small_generated_office():
    inbox = bench("inbox", "--n", "2000", "--requests", "5")
    assert inbox["n"] == 2000 and inbox["api_first_page_p95_ms"] > 0 and inbox["page_p95_ms"] > 0
    sweep = bench("sweep", "--n", "2000", "--overdue", "50")
    assert sweep["n"] == 2000 and sweep["escalated"] == 50, sweep


def test_the_documents_benchmark_renders_every_paper_of_a_small_dossier():
    out = bench("documents", "--n", "12")
    assert out["n"] == 12 and out["certificates_pdf_kb"] > 0 and out["danh_sach_docx_kb"] > 0
    assert out["to_trinh_and_list_s"] > 0 and out["peak_rss_mb"] >= out["peak_rss_before_papers_mb"]
    # The whole tree is measured: serve plus at least one render worker seen while it worked.
    assert out["render_workers_max"] >= 1 and out["render_workers_peak_rss_mb"] > 0
    assert out["serve_tree_peak_rss_mb"] >= out["serve_sampled_peak_rss_mb"] > 0


def test_the_people_search_benchmark_finds_the_generated_names():
    out = bench("people", "--n", "3000", "--requests", "10")
    assert out["n"] == 3000 and out["search_admin_hit_rate"] == 1.0 and out["search_ministry_p95_ms"] > 0


def test_the_workbench_benchmark_measures_the_pages_of_a_long_list():
    out = bench("workbench", "--n", "500", "--names", "60", "--requests", "2")
    assert out["names"] == 60 and out["dossier_page_p95_ms"] > 0 and out["confirm_all_matching_p95_ms"] > 0


def test_the_plan_import_benchmark_reads_one_long_plan_built_from_the_seeds():
    out = bench("plan_import", "--n", "2")
    assert out["pages"] == 2 and out["chars"] >= 2 * 3000
    assert out["seconds"] > 0 and out["milestones"] >= 1
