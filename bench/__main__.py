"""`python -m bench` runs every benchmark and prints a table; `python -m bench NAME [...]` runs one.

Benchmarks: transitions, peers, bulk, inbox, sweep, audit, web, reviewers, documents, people, workbench,
plan_import
(see each module's --help; `peers` needs the bench extra: pip install -e '.[bench]').
The full run does transitions and bulk on SQLite and again on PostgreSQL (the server of
KHENTHUONG_BENCH_POSTGRES_URL, else KHENTHUONG_TEST_POSTGRES_URL, else 127.0.0.1:5432, when one
answers), and the reviewers load test on PostgreSQL.
"""
import importlib
import os
import sys
import time

from bench.common import machine

ORDER = ["transitions", "peers", "bulk", "inbox", "sweep", "audit", "web", "reviewers", "documents", "people",
         "workbench", "plan_import"]
# Sizes for the full run: the figures.
DEFAULTS = {
    "transitions": ["--n", "20000"], "peers": ["--n", "1000"], "bulk": ["--n", "10000"], "inbox": ["--n", "1000000"],
    "sweep": ["--n", "1000000", "--overdue", "10000"], "audit": ["--n", "1000000"], "web": ["--n", "100000"],
    "documents": ["--n", "500"],
    "reviewers": ["--seconds", "60"],  # 50 reviewers against gunicorn and PostgreSQL (--db to choose)
    "people": ["--n", "1000000"],
    "workbench": ["--n", "100000", "--names", "400"],
    "plan_import": ["--n", "20"],  # a 20-page plan read from its text
}
# Run a second time on PostgreSQL in the full run (the "on SQLite and on PostgreSQL").
ON_POSTGRES = ["transitions", "bulk"]


def run(name: str, argv: list[str]) -> dict:
    module = importlib.import_module(f"bench.{name}")
    return module.main(argv)


def postgres_url() -> str | None:
    """The PostgreSQL server of the full run (a throw-away database is made on it), or None
    when none answers: the SQLite figures are still worth having."""
    url = os.environ.get("KHENTHUONG_BENCH_POSTGRES_URL",
                         os.environ.get("KHENTHUONG_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))
    try:
        import psycopg
        psycopg.connect(url, connect_timeout=3).close()
    except Exception as e:
        print(f"(no PostgreSQL at {url}: {e.__class__.__name__}; its runs are left out)")
        return None
    return url


def main(argv: list[str]) -> None:
    if argv and argv[0] in ("-h", "--help"):
        print(__doc__)
        return
    if argv:
        if argv[0] not in ORDER:
            sys.exit(f"unknown benchmark {argv[0]!r}; choose from {', '.join(ORDER)}")
        run(argv[0], argv[1:])
        return
    plan = [(name, DEFAULTS[name]) for name in ORDER]
    pg = postgres_url()
    if pg:
        plan = [(name, args + ["--db", pg] if name == "reviewers" else args) for name, args in plan]
        plan[2:2] = [(name, DEFAULTS[name] + ["--db", pg]) for name in ON_POSTGRES]
    else:
        plan = [(name, args) for name, args in plan if name != "reviewers"]
    rows = []
    for name, args in plan:
        print(f"== {name} {' '.join(args)}", flush=True)
        rows.append((name, run(name, args)))
    print(f"\n# khenthuong benchmarks — {time.strftime('%Y-%m-%d')} — {machine()}\n")
    print("| benchmark | database | figure | value |\n|---|---|---|---|")
    for name, figures in rows:
        for k, v in figures.items():
            if isinstance(v, (int, float)) and k not in ("n",):
                print(f"| {name} | {figures.get('db', '')} | {k} | {v} |")


if __name__ == "__main__":
    main(sys.argv[1:])
