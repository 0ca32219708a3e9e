"""Inbox and lists with many nominations: p50 and p95 of the inbox API (first page, filtered,
paged deep by keyset) and of the /inbox page, for a ministry reviewer.

    python -m bench inbox [--n 1000000] [--db URL] [--requests 200]
"""
import argparse
import re
import time

from bench.common import NOW, PASSWORD, Timer, emit, machine, scratch_database
from bench.data import generate


def _client(db):
    from web import create_app
    app = create_app({"db": db, "database_url": db.url, "clock": lambda: NOW, "secret_key": "bench"})
    return app.test_client()


def _token(client, username: str) -> dict:
    r = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
    return {"Authorization": f"Bearer {r.get_json()['token']}"}


def _login_page(client, username: str) -> bool:
    """Log the test client in through the login form; False when the UI has no login page."""
    r = client.get("/login")
    if r.status_code != 200:
        return False
    m = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', r.data)
    data = {"username": username, "password": PASSWORD, **({"csrf_token": m.group(1).decode()} if m else {})}
    return client.post("/login", data=data).status_code in (200, 302, 303)


def _measure(client, path: str, headers: dict, k: int) -> Timer:
    timer = Timer()
    for _ in range(k):
        with timer.measure():
            r = client.get(path, headers=headers)
        assert r.status_code == 200, (path, r.status_code, r.data[:300])
    return timer


def _deep_cursor(client, headers: dict, pages: int) -> str | None:
    cursor = None
    for _ in range(pages):
        query = "/api/v1/inbox?limit=100" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(query, headers=headers).get_json()
        cursor = page["next_cursor"] or cursor
    return cursor


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(prog="python -m bench inbox", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--db", help="database URL (default: a temporary SQLite file)")
    ap.add_argument("--requests", type=int, default=200, help="requests per measured case")
    args = ap.parse_args(argv)
    with scratch_database(args.db) as db:
        t = time.perf_counter()
        info = generate(db, args.n)
        gen_s = time.perf_counter() - t
        print(f"generated {args.n} nominations in {gen_s:.1f} s: {info['counts']}")
        client = _client(db)
        api = _token(client, "bo.chuyenvien")
        deep = _deep_cursor(client, api, 50)
        cases = {
            "api_first_page": "/api/v1/inbox",
            "api_filtered": "/api/v1/inbox?award_type=bang_khen_thu_tuong&overdue=false&limit=50",
            "api_deep_keyset": "/api/v1/inbox?limit=50" + (f"&cursor={deep}" if deep else ""),
            "api_list_newest": "/api/v1/nominations?limit=50",
        }
        figures = {"db": db.dialect, "n": args.n, "generate_s": round(gen_s, 1)}
        for name, path in cases.items():
            timer = _measure(client, path, api, args.requests)
            figures[f"{name}_p50_ms"] = round(timer.median * 1e3, 2)
            figures[f"{name}_p95_ms"] = round(timer.pct(95) * 1e3, 2)
        page_client = _client(db)
        if _login_page(page_client, "bo.chuyenvien"):
            timer = _measure(page_client, "/inbox", {}, args.requests)
            figures["page_p50_ms"] = round(timer.median * 1e3, 2)
            figures["page_p95_ms"] = round(timer.pct(95) * 1e3, 2)
    figures["machine"] = machine()
    for k, v in figures.items():
        if k.endswith("_ms"):
            print(f"  {k:28s} {v:8.2f}")
    return emit("inbox", figures)


if __name__ == "__main__":
    main()
