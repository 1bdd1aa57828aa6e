"""Throughput of marsad.analyze_many: documents/s, words/s and peak memory over generated documents.

    python benchmarks/throughput.py                 # 3,000 documents, half Arabic, half English
    python benchmarks/throughput.py --docs 20000 --json out.json
    python benchmarks/throughput.py --docs 300 --profile fast      # the classical models only
    python benchmarks/throughput.py --docs 10000 --profile fast --sample 1000   # is memory flat? (issue 14)

`--sample K` prints, every K documents, the resident memory of this process and of each worker process (read
from /proc, Linux), so a leak shows as a rising column; the peak per worker is reported at the end.

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


def _rss_mb(pid: int | str) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _children() -> list[int]:
    """This process's child processes (the workers), from /proc; empty where /proc is missing."""
    out = []
    for task in Path("/proc/self/task").glob("*/children"):
        try:
            out += [int(x) for x in task.read_text().split()]
        except OSError:
            pass
    return sorted(set(out))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=3000)
    ap.add_argument("--trace", action="store_true", help="also report peak Python heap (tracemalloc; slower)")
    ap.add_argument("--json", help="write the figures here too")
    ap.add_argument("--profile", choices=["accurate", "fast"], default=None,
                    help="pipeline profile (default: settings.toml)")
    ap.add_argument("--sample", type=int, default=0, metavar="K",
                    help="every K documents, print this process's and each worker's resident memory")
    args = ap.parse_args()

    # The documents are made as they are read, as a JSONL file is streamed: a list of every text held here would
    # grow this process by the texts (and by the UTF-8 copy that CPython attaches to a non-ASCII str when it is
    # pickled for a worker), which is the benchmark's memory, not marsad's.
    words = 0

    def docs():
        nonlocal words
        for d in corpus(args.docs):
            words += len(d["text"].split())
            yield d

    t0 = time.perf_counter()
    next(marsad.analyze_many(list(corpus(1)), profile=args.profile))  # loads models, dictionaries, gazetteer once
    warm = time.perf_counter() - t0
    if args.trace:
        tracemalloc.start()
    t0 = time.perf_counter()
    n, worker_peak, samples = 0, 0.0, []
    for _ in marsad.analyze_many(docs(), profile=args.profile):
        n += 1
        if args.sample and (n % args.sample == 0 or n == args.docs):
            workers = [_rss_mb(p) for p in _children()]
            worker_peak = max([worker_peak] + workers)
            samples.append((n, round(_rss_mb("self"), 1), [round(w, 1) for w in workers]))
            print(f"{n:>8} documents  {time.perf_counter() - t0:8.1f} s  parent {samples[-1][1]:7.1f} MB  "
                  f"workers {' '.join(f'{w:7.1f}' for w in samples[-1][2])} MB", flush=True)
    secs = time.perf_counter() - t0
    heap = tracemalloc.get_traced_memory()[1] / 2**20 if args.trace else None
    figures = {
        "documents": n, "words": words, "seconds": round(secs, 2),
        "docs_per_s": round(n / secs, 1), "words_per_s": round(words / secs),
        "first_document_s": round(warm, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "peak_heap_mb": round(heap, 1) if heap is not None else None,
        "worker_rss_at_samples_peak_mb": round(worker_peak, 1) if args.sample else None,
        "rss_samples": samples or None,
        "profile": args.profile or marsad.config.settings()["pipeline"]["profile"],
        "python": sys.version.split()[0], "marsad": marsad.__version__,
    }
    for k, v in figures.items():
        if k != "rss_samples":  # printed as they came
            print(f"{k:>18}: {v}")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
