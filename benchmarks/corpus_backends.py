"""The corpus store on SQLite and on PostgreSQL, side by side in one run: store rate, database size, search
latency, and two writers at once.

    python benchmarks/corpus_backends.py                        # a throwaway local PostgreSQL (tests/postgres_server.py)
    python benchmarks/corpus_backends.py --postgres postgresql://me@dbhost/bench   # an existing, empty database
    python benchmarks/corpus_backends.py --docs 5000 --json out.json

Records: `--analysed` generated documents (benchmarks/throughput.py's `corpus()`) analysed once with the fast
profile, then repeated with a numbered sentence appended to reach `--docs` distinct documents (offsets stay
valid: the text only grows at its end). The analysis is not timed here (docs/benchmarks.md has its rates):
1. store alone: the records written in batches of 100 (one transaction each), documents/s, per backend;
2. size: the SQLite file after a WAL checkpoint; pg_database_size for PostgreSQL (includes ~7 MB of catalog);
3. search: p50/p95 of 200 queries (benchmarks/corpus.py's `latency`: one or two words, some with a filter);
4. two writers: two processes each storing half of the records into one new corpus at once: the time from the
   first batch to the last (process start-up left out), and how long both were writing.
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))
from corpus import latency, write_figures  # noqa: E402
from throughput import corpus as generated  # noqa: E402

from marsad.corpus import Corpus  # noqa: E402

WRITER = """
import pickle, sys, time
from marsad.corpus import Corpus
records = pickle.load(open(sys.argv[2], "rb"))
with Corpus(sys.argv[1]) as c:
    start = time.time()
    for k in range(0, len(records), 100):
        c.add_records(records[k:k + 100])
    print(start, time.time())
"""


def records(n_analysed: int, n: int) -> tuple[list[dict], list[dict]]:
    import marsad

    docs = [dict(d, published=f"2018-{1 + i % 12:02d}-{1 + i % 28:02d}") for i, d in enumerate(generated(n_analysed))]
    base = list(marsad.analyze_many(docs, profile="fast"))
    out, shown = [], []
    for i in range(n):
        rec, doc = base[i % len(base)], docs[i % len(docs)]
        suffix = f" Report {i}." if i >= len(base) else ""
        out.append(dict(rec, id=f"{rec['id']}-{i}", text=rec["text"] + suffix))
        shown.append(dict(doc, text=doc["text"] + suffix))
    return out, shown


def size(c: Corpus) -> int:
    if isinstance(c.path, str):
        return c.conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
    c.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return sum(p.stat().st_size for p in c.path.parent.glob(c.path.name + "*"))


def store(target: str, recs: list[dict]) -> tuple[Corpus, dict]:
    c = Corpus(target)
    t0 = time.perf_counter()
    for k in range(0, len(recs), 100):
        c.add_records(recs[k:k + 100])
    secs = time.perf_counter() - t0
    return c, {"documents": len(c), "store_seconds": round(secs, 2), "store_docs_per_s": round(len(recs) / secs, 1),
               "db_mb": round(size(c) / 2**20, 1)}


def two_writers(target: str, recs: list[dict], tmp: str) -> dict:
    Corpus(target).close()
    halves = []
    for h, part in enumerate((recs[0::2], recs[1::2])):
        path = os.path.join(tmp, f"half{h}.pickle")
        with open(path, "wb") as fh:
            pickle.dump(part, fh)
        halves.append(path)
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, target, p], stdout=subprocess.PIPE) for p in halves]
    spans = [[float(x) for x in p.communicate()[0].split()] for p in procs]
    assert all(p.returncode == 0 for p in procs)
    # from the first writer's first batch to the last writer's last (the processes' start-up left out)
    secs = max(end for _, end in spans) - min(start for start, _ in spans)
    overlap = min(end for _, end in spans) - max(start for start, _ in spans)
    with Corpus(target) as c:
        stored = len(c)
    return {"documents": stored, "store_seconds": round(secs, 2), "docs_per_s": round(stored / secs, 1),
            "overlap_seconds": round(max(0.0, overlap), 2)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=5000)
    ap.add_argument("--analysed", type=int, default=200, help="distinct analysed documents (default 200)")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--postgres", help="an empty PostgreSQL database to use, and a second for the two writers "
                                       "(URL;URL); default: a throwaway local cluster")
    ap.add_argument("--json", help="write the figures here too")
    args = ap.parse_args()
    recs, docs = records(args.analysed, args.docs)
    figures: dict = {"documents": args.docs, "analysed": args.analysed}
    cluster = None
    if args.postgres:
        pg_targets = args.postgres.split(";")
    else:
        from postgres_server import Cluster, find_binaries

        bindir, why = find_binaries()
        if bindir is None:
            sys.exit(f"corpus_backends: {why}; or give --postgres URL;URL")
        cluster = Cluster(bindir).start()
        pg_targets = [cluster.new_database(), cluster.new_database()]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for name, target, pair in (("sqlite", os.path.join(tmp, "c.db"), os.path.join(tmp, "two.db")),
                                       ("postgres", pg_targets[0], pg_targets[1])):
                c, figures[name] = store(target, recs)
                figures[name]["search"] = latency(c, docs, args.queries)
                c.close()
                figures[name]["two_writers"] = two_writers(pair, recs, tmp)
                print(json.dumps({name: figures[name]}), flush=True)
    finally:
        if cluster is not None:
            cluster.stop()
    write_figures(figures, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
