"""The corpus store: ingest rate and database size, and search latency.

    python benchmarks/corpus.py                   # FA-KES dev (205 articles) + 10,000 generated documents
    python benchmarks/corpus.py --docs 2000 --json out.json

1. FA-KES dev articles (../shared/data/events/fakes/fakes_dev.csv, read in place: article_content, source,
   date) ingested into a fresh database: documents/s end to end (analysis included) and in the store alone.
2. N generated documents (benchmarks/throughput.py's `corpus()`: shuffled sentences of the examples),
   the same figures, then the p50/p95 latency of 200 searches (one or two words drawn from the documents'
   own vocabulary, a third with a filter; 20 hits, snippets included).
Database size is measured after a WAL checkpoint, so it is what the file will hold.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from throughput import corpus as generated  # noqa: E402  (the generator the throughput benchmark uses)

from marsad.corpus import Corpus  # noqa: E402

FAKES = HERE.parent.parent / "shared" / "data" / "events" / "fakes" / "fakes_dev.csv"


class TimedCorpus(Corpus):
    """Counts the time spent writing batches, to separate the store's cost from the analysis."""

    store_seconds = 0.0

    def add_records(self, records):
        t0 = time.perf_counter()
        try:
            return super().add_records(records)
        finally:
            self.store_seconds += time.perf_counter() - t0


def fakes_documents(path: Path):
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            published = None
            try:
                published = dt.datetime.strptime(row["date"], "%m/%d/%y").date().isoformat()
            except ValueError:
                pass
            yield {"id": f"fakes-{row['unit_id']}", "text": row["article_content"], "title": row["article_title"],
                   "source": row["source"], "published": published}


def db_size(c: Corpus) -> int:
    c.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return sum(p.stat().st_size for p in c.path.parent.glob(c.path.name + "*"))


def ingest(docs: list[dict], path: Path, batch: int) -> tuple[TimedCorpus, dict]:
    c = TimedCorpus(path)
    t0 = time.perf_counter()
    stats = c.ingest(docs, batch=batch)
    secs = time.perf_counter() - t0
    size = db_size(c)
    text_bytes = sum(len(d["text"].encode("utf-8")) for d in docs)
    return c, {"documents": stats.added, "duplicates": stats.skipped, "failed": stats.failed,
               "seconds": round(secs, 1),
               "docs_per_s": round(stats.added / secs, 1),
               "store_only_docs_per_s": round(stats.added / c.store_seconds, 1),
               "db_mb": round(size / 2**20, 2), "text_mb": round(text_bytes / 2**20, 2),
               "bytes_per_doc": round(size / max(1, stats.added))} | {"events": c.stats()["events"]}


def latency(c: Corpus, docs: list[dict], n: int, seed: int = 11) -> dict:
    rng = random.Random(seed)
    vocab = sorted({w for d in docs[:500] for w in re.findall(r"[^\W\d_]{4,}", d["text"])})
    filters = [{}, {}, {"lang": "ar"}, {"since": "2018-01-01"}, {"event_type": "FIGHT"}, {"near": (33.5, 36.3), "km": 50}]
    times, hits = [], 0
    c.search("warm")  # first query loads the stemmers
    for _ in range(n):
        q = " ".join(rng.sample(vocab, rng.choice([1, 1, 2])))
        t0 = time.perf_counter()
        hits += len(c.search(q, limit=20, **rng.choice(filters)))
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return {"queries": n, "mean_hits": round(hits / n, 1), "p50_ms": round(statistics.median(times), 2),
            "p95_ms": round(times[int(0.95 * n) - 1], 2), "max_ms": round(times[-1], 2)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=10_000, help="generated documents (default 10,000)")
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--fakes", type=Path, default=FAKES, help="FA-KES dev CSV (skipped when missing)")
    ap.add_argument("--json", help="write the figures here too")
    args = ap.parse_args()
    figures = {}
    with tempfile.TemporaryDirectory() as tmp:
        if args.fakes.exists():
            docs = list(fakes_documents(args.fakes))
            c, figures["fakes_dev"] = ingest(docs, Path(tmp) / "fakes.db", args.batch)
            figures["fakes_dev"]["search"] = latency(c, docs, args.queries)
            c.close()
            print(json.dumps({"fakes_dev": figures["fakes_dev"]}), flush=True)
        docs = [dict(d, published=f"2018-{1 + i % 12:02d}-{1 + i % 28:02d}")
                for i, d in enumerate(generated(args.docs))]
        c, figures["generated"] = ingest(docs, Path(tmp) / "gen.db", args.batch)
        figures["generated"]["search"] = latency(c, docs, args.queries)
        c.close()
    write_figures(figures, args.json)
    return 0


def write_figures(figures: dict, json_path: str | None) -> None:
    """The figures on stdout, and in `json_path` when given."""
    print(json.dumps(figures, indent=2))
    if json_path:
        Path(json_path).write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    sys.exit(main())
