"""`python -m bench` runs every benchmark and prints a table; `python -m bench NAME [...]` runs one.

Benchmarks: transitions, bulk, inbox, sweep, audit, web, reviewers (see each module's --help).
"""
import importlib
import sys
import time

from bench.common import machine

ORDER = ["transitions", "bulk", "inbox", "sweep", "audit", "web", "reviewers"]
# Sizes for the full run: the figures.
DEFAULTS = {
    "transitions": ["--n", "20000"], "bulk": ["--n", "10000"], "inbox": ["--n", "1000000"],
    "sweep": ["--n", "1000000", "--overdue", "10000"], "audit": ["--n", "1000000"], "web": ["--n", "100000"],
    "reviewers": ["--seconds", "60"],  # 50 reviewers against gunicorn and PostgreSQL (--db to choose)
}


def run(name: str, argv: list[str]) -> dict:
    module = importlib.import_module(f"bench.{name}")
    return module.main(argv)


def main(argv: list[str]) -> None:
    if argv and argv[0] in ("-h", "--help"):
        print(__doc__)
        return
    if argv:
        if argv[0] not in ORDER:
            sys.exit(f"unknown benchmark {argv[0]!r}; choose from {', '.join(ORDER)}")
        run(argv[0], argv[1:])
        return
    extra = []  # e.g. python -m bench -- --db URL is not supported: run one at a time for PostgreSQL
    rows = []
    for name in ORDER:
        t = time.perf_counter()
        figures = run(name, DEFAULTS[name] + extra)
        rows.append((name, time.perf_counter() - t, figures))
    print(f"\n# khenthuong benchmarks — {time.strftime('%Y-%m-%d')} — {machine()}\n")
    print("| benchmark | figure | value |\n|---|---|---|")
    for name, _, figures in rows:
        for k, v in figures.items():
            if isinstance(v, (int, float)) and k not in ("n",):
                print(f"| {name} | {k} | {v} |")


if __name__ == "__main__":
    main(sys.argv[1:])
