"""Load on `marsad serve`: N clients x M requests mixing POST /api/analyze and GET /api/search, on 127.0.0.1
only; prints errors and latency percentiles per endpoint. Issue 13's target: 8 clients x 200 requests, 0
errors, search p95 under 500 ms.

    python benchmarks/load_web.py                              # 8 x 200, a quarter of them analyses
    python benchmarks/load_web.py --clients 4 --requests 50 --profile fast --json out.json

It builds a corpus database from generated documents (the sentences of the bundled examples, shuffled),
starts `marsad serve` on a free loopback port in a child process, waits for it, runs the clients (threads,
one keep-alive connection each), and stops the server. An error is any answer other than 200 or a failed
connection (a 503 from the bounded analysis pool counts as an error here).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import corpus  # noqa: E402  (the generated documents of the throughput benchmark)

QUERIES = ["Douma", "دوما", "shelling", "البوكمال", "army", "الجيش", "Damascus OR Idlib", "\"air strike\"",
           "terrorists", "قسد", "evacuate*", "Syria", "سوريا", "chemical", "Russia"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(xs: list[float], p: float) -> float | None:
    if not xs:
        return None
    xs = sorted(xs)
    return round(xs[min(len(xs) - 1, int(p / 100 * len(xs)))] * 1000, 1)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--requests", type=int, default=200, help="per client")
    ap.add_argument("--analyze-share", type=float, default=0.25, help="share of requests that are analyses")
    ap.add_argument("--docs", type=int, default=300, help="documents in the corpus database")
    ap.add_argument("--profile", choices=["accurate", "fast"], default=None)
    ap.add_argument("--json", help="write the figures here too")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="marsad-load-"))
    db = work / "load.db"
    docs = list(corpus(args.docs + 50))
    import marsad.corpus

    with marsad.corpus.Corpus(db) as c:
        c.ingest(docs[:args.docs], options={"profile": "fast"})
    articles = [d["text"] for d in docs[args.docs:]]

    port = free_port()
    cmd = [sys.executable, "-m", "marsad", "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port)]
    cmd += ["--profile", args.profile] if args.profile else []
    server = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 300
        while True:
            try:
                if httpx.get(base + "/api/search?q=x", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.time() > deadline:
                print(server.stderr.read() if server.poll() is not None else "server did not start", file=sys.stderr)
                return 2
            time.sleep(0.5)

        times: dict[str, list[float]] = {"analyze": [], "search": []}
        errors: list[str] = []
        lock = threading.Lock()

        def client(seed: int) -> None:
            rng = random.Random(seed)
            with httpx.Client(base_url=base, timeout=120) as http:
                for _ in range(args.requests):
                    kind = "analyze" if rng.random() < args.analyze_share else "search"
                    t0 = time.perf_counter()
                    try:
                        if kind == "analyze":
                            r = http.post("/api/analyze", json={"text": rng.choice(articles)})
                        else:
                            r = http.get("/api/search", params={"q": rng.choice(QUERIES),
                                                                "offset": rng.choice([0, 0, 20])})
                        ok, why = r.status_code == 200, f"{kind} {r.status_code} {r.text[:120]}"
                    except httpx.HTTPError as e:
                        ok, why = False, f"{kind} {type(e).__name__}: {e}"
                    with lock:
                        times[kind].append(time.perf_counter() - t0)
                        if not ok:
                            errors.append(why)

        load = os.getloadavg()
        t0 = time.perf_counter()
        threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - t0
    finally:
        server.terminate()
        server.wait(timeout=30)

    figures = {"clients": args.clients, "requests": args.clients * args.requests, "errors": len(errors),
               "first_errors": errors[:5], "wall_s": round(wall, 1), "profile": args.profile or "settings.toml",
               "load_average_before": [round(x, 2) for x in load], "cores": os.cpu_count()}
    for kind, xs in times.items():
        figures[kind] = {"n": len(xs), "p50_ms": percentile(xs, 50), "p95_ms": percentile(xs, 95),
                         "max_ms": round(max(xs) * 1000, 1) if xs else None}
    print(json.dumps(figures, ensure_ascii=False, indent=1))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
