"""A long plan read from its own text (issue 18: a 20-page plan in ≤ 1 s).

    python -m bench plan_import [--n 20]

Builds one plan of `--n` pages (a page: 3,000 characters, about what an A4 page of a Kế hoạch in
13-pt Times holds) from the five seed plans: the heading and title of seed 004, then the bodies of
all five seeds one after the other, repeated until the size is reached, then seed 004's Nơi nhận.
Times `read_plan` on it (five runs after one warm-up, in this process; no database), prints the
seconds and ends with one JSON line of figures. Target: ≤ 1 s for 20 pages on 2 cores.
"""
import re
import statistics
import sys
import time
from pathlib import Path

from bench.common import arguments, emit, machine

SEEDS = Path(__file__).resolve().parents[1] / "workflow" / "demo" / "seeds"
PAGE_CHARS = 3000


def _parts(text: str) -> tuple[str, str, str]:
    """(heading and title, body, Nơi nhận and signature) of a seed."""
    lines = text.split("\n")
    title = next(i for i, ln in enumerate(lines) if ln.lstrip("* ").startswith("KẾ HOẠCH"))
    end = next((i for i, ln in enumerate(lines) if re.match(r"\s*Nơi nhận", ln)), len(lines))
    head_end = title + 1
    while head_end < len(lines) and not lines[head_end].strip():
        head_end += 1
    head_end += 1  # the title's first line
    return "\n".join(lines[:head_end]), "\n".join(lines[head_end:end]), "\n".join(lines[end:])


def long_plan(pages: int) -> str:
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("[0-9][0-9][0-9]_*.txt"))]
    head, _, tail = _parts(seeds[4])
    bodies = [_parts(s)[1] for s in seeds]
    out, size, i = [head], len(head) + len(tail), 0
    while size < pages * PAGE_CHARS:
        out.append(bodies[i % len(bodies)])
        size += len(bodies[i % len(bodies)])
        i += 1
    out.append(tail)
    return "\n\n".join(out)


def main(argv: list[str]) -> dict:
    ap = arguments("plan_import", __doc__, 20, "pages of 3,000 characters")
    args = ap.parse_args(argv)
    from workflow.plans.reading import read_plan
    text = long_plan(args.n)
    read_plan(text)  # warm-up: the catalogue's patterns and the holiday calendar are built once
    samples, proposal = [], None
    for _ in range(5):
        t = time.perf_counter()
        proposal = read_plan(text)
        samples.append(time.perf_counter() - t)
    assert proposal is not None
    plan = proposal.plan
    print(f"{machine()}\n{args.n} pages, {len(text):,} characters, {text.count(chr(10)) + 1:,} lines: "
          f"read in {statistics.median(samples):.3f} s (median of 5; best {min(samples):.3f} s); "
          f"{len(plan['milestones'])} milestones, {len(plan['award_forms'])} award forms, "
          f"{len(proposal.warnings)} warnings", flush=True)
    return emit("plan_import", {"pages": args.n, "chars": len(text), "seconds": round(statistics.median(samples), 4),
                                "best_seconds": round(min(samples), 4), "milestones": len(plan["milestones"]),
                                "award_forms": len(plan["award_forms"]), "db": ""})


if __name__ == "__main__":
    main(sys.argv[1:])
