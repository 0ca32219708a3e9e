"""A small bounded HTTP load generator for 127.0.0.1 (threads, keep-alive connections)."""
import http.client
import json
import threading
import time
from collections import Counter


def get_token(port: int, username: str, password: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("POST", "/api/v1/auth/token", body=json.dumps({"username": username, "password": password}),
                 headers={"Content-Type": "application/json"})
    resp = conn.getresponse()
    data = json.loads(resp.read())
    conn.close()
    return data["token"]


def wait_ready(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server on port {port} did not come up")


def hammer(port: int, paths: list[str], headers: dict, *, clients: int, seconds: float,
           max_requests: int) -> dict:
    """`clients` threads GET the paths in turn for at most `seconds` / `max_requests` in all."""
    statuses: Counter = Counter()
    latencies: list[float] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    budget = [max_requests]

    def worker(k: int):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        i = k
        while time.monotonic() < stop_at:
            with lock:
                if budget[0] <= 0:
                    break
                budget[0] -= 1
            t = time.perf_counter()
            try:
                conn.request("GET", paths[i % len(paths)], headers=headers)
                resp = conn.getresponse()
                resp.read()
                status = resp.status
            except OSError:
                status = "error"
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            with lock:
                statuses[status] += 1
                latencies.append(time.perf_counter() - t)
            i += 1
        conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    done = sum(statuses.values())
    return {"requests": done, "seconds": round(elapsed, 2), "requests_per_s": round(done / elapsed, 1),
            "statuses": {str(k): v for k, v in statuses.items()},
            "p50_ms": round(latencies[len(latencies) // 2] * 1e3, 2) if latencies else None,
            "p95_ms": round(latencies[int(len(latencies) * 0.95)] * 1e3, 2) if latencies else None}
