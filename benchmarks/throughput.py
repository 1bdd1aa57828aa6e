"""Throughput of marsad.analyze_many: documents/s, words/s and peak memory over generated documents.

    python benchmarks/throughput.py                 # 3,000 documents, half Arabic, half English
    python benchmarks/throughput.py --docs 20000 --json out.json
    python benchmarks/throughput.py --docs 300 --profile fast      # the classical models only

Documents are built by shuffling the sentences of the bundled examples (so language mix, sentence length
and vocabulary are realistic), with a fixed seed. Model and dictionary loading is timed separately (the
first document), so the rate is the steady state a long batch sees.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import marsad
import marsad.config
from marsad.lang import get
from marsad.lang.sentences import split

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def corpus(n: int, seed: int = 7):
    rng = random.Random(seed)
    pools = {}
    for f in sorted(EXAMPLES.glob("*.txt")):
        text = f.read_text(encoding="utf-8")
        code = "ar" if sum("\u0600" <= c <= "\u06ff" for c in text) > len(text) / 4 else "en"
        pools.setdefault(code, []).extend(text[a:b] for a, b in split(text, get(code)))
    langs = sorted(pools)
    for i in range(n):
        code = langs[i % len(langs)]
        sents = rng.sample(pools[code], k=min(len(pools[code]), rng.randint(4, 14)))
        yield {"id": f"bench-{i}", "text": " ".join(sents)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=3000)
    ap.add_argument("--trace", action="store_true", help="also report peak Python heap (tracemalloc; slower)")
    ap.add_argument("--json", help="write the figures here too")
    ap.add_argument("--profile", choices=["accurate", "fast"], default=None,
                    help="pipeline profile (default: settings.toml)")
    args = ap.parse_args()

    docs = list(corpus(args.docs))
    words = sum(len(d["text"].split()) for d in docs)
    t0 = time.perf_counter()
    next(marsad.analyze_many(docs[:1], profile=args.profile))  # loads models, dictionaries, gazetteer once
    warm = time.perf_counter() - t0
    if args.trace:
        tracemalloc.start()
    t0 = time.perf_counter()
    n = sum(1 for _ in marsad.analyze_many(docs, profile=args.profile))
    secs = time.perf_counter() - t0
    heap = tracemalloc.get_traced_memory()[1] / 2**20 if args.trace else None
    figures = {
        "documents": n, "words": words, "seconds": round(secs, 2),
        "docs_per_s": round(n / secs, 1), "words_per_s": round(words / secs),
        "first_document_s": round(warm, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "peak_heap_mb": round(heap, 1) if heap is not None else None,
        "profile": args.profile or marsad.config.settings()["pipeline"]["profile"],
        "python": sys.version.split()[0], "marsad": marsad.__version__,
    }
    for k, v in figures.items():
        print(f"{k:>18}: {v}")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
