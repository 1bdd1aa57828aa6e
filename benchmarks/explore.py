"""Exploring a corpus: what the web search page asks for (a page of hits with the total, and the facet counts
beside them) on a generated corpus of 5,000 documents, p50/p95 latency over 200 requests.

    python benchmarks/explore.py                         # seed records analysed from FA-KES dev + the examples
    python benchmarks/explore.py --seed-db corpus.db     # or the records of an existing corpus (no analysis)
    python benchmarks/explore.py --docs 5000 --json out.json

The corpus: the seed records (analysed once) stored again and again under 11 outlet names, each copy's
publication date moved on by 30 days, until it holds --docs documents (the records' mentions, events and
techniques are the analyser's own, so the rows are as dense as a real corpus of those articles).
The requests, drawn at random (seeded), each `search_page(limit=20)` + `facets(top=12)` as GET /search runs
them: a quarter an empty query with one filter written as a page shows it (technique label, event sub-type in
lower case, actor or place name in either script, side), a quarter one or two words of the documents, a quarter a
place or actor name (which also reaches its documents in the other language), a quarter words plus a filter
and a page further on (offset 40: page 3). The value vocabularies (values.py), which the first requests
after a change of the corpus build, are built and timed apart first.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from marsad.corpus import Corpus  # noqa: E402
from marsad.corpus import values  # noqa: E402
from marsad.corpus.facets import facets  # noqa: E402

OUTLETS = ["SANA", "Reuters", "Al Jazeera", "Enab Baladi", "RT Arabic", "Anadolu", "Al-Manar", "Rudaw", "AFP",
           "Asharq Al-Awsat", "Syrian Observatory"]


def seed_records(seed_db: str | None) -> list[dict]:
    if seed_db:
        with Corpus(seed_db) as c:
            return list(c.records())
    from corpus import FAKES, fakes_documents  # the FA-KES reader of benchmarks/corpus.py

    docs = list(fakes_documents(FAKES)) if FAKES.exists() else []
    docs += [{"id": p.stem, "text": p.read_text(encoding="utf-8")} for p in sorted((HERE.parent / "examples").glob("*.txt"))]
    with tempfile.TemporaryDirectory() as tmp, Corpus(Path(tmp) / "seed.db") as c:
        c.ingest(docs)
        return list(c.records())


def shifted(date: str | None, days: int) -> str | None:
    import datetime as dt

    if not date:
        return None
    try:
        return (dt.date.fromisoformat(date[:10]) + dt.timedelta(days=days)).isoformat()
    except ValueError:
        return date


def build(path: Path, seeds: list[dict], n: int) -> float:
    t0 = time.perf_counter()
    with Corpus(path) as c:
        batch, k = [], 0
        while k < n:
            rec = seeds[k % len(seeds)]
            copy = k // len(seeds)
            batch.append(dict(rec, id=f"{rec['id']}~{copy}", source=OUTLETS[(k + copy) % len(OUTLETS)],
                              published=shifted(rec.get("published"), 30 * copy),
                              url=f"https://example.invalid/{rec['id']}/{copy}"))  # each copy its own document
            k += 1
            if len(batch) == 500:
                c.add_records(batch)
                batch = []
        if batch:
            c.add_records(batch)
    return time.perf_counter() - t0


def requests(c: Corpus, n: int, seed: int = 11) -> list[tuple[str, dict, int]]:
    rng = random.Random(seed)
    q = c.conn.execute
    techniques = [t.replace("_", " ") for (t,) in q("SELECT DISTINCT technique FROM techniques")]
    sub_types = [t.lower() for (t,) in q("SELECT DISTINCT sub_type FROM events WHERE sub_type IS NOT NULL")]
    names = [row for row in q("SELECT name, name_ar, kind FROM entities WHERE name IS NOT NULL AND kind IS NOT NULL "
                              "GROUP BY entity ORDER BY count(*) DESC LIMIT 60")]
    places = [(en, ar) for en, ar, kind in names if kind == "place"]
    actors = [(en, ar) for en, ar, kind in names if kind != "place"]
    sides = [s for (s,) in q("SELECT DISTINCT side FROM entities WHERE side IS NOT NULL")]
    words = [w for (t,) in q("SELECT title FROM documents WHERE title IS NOT NULL LIMIT 400")
             for w in t.split() if len(w) > 4 and w.isalpha()]
    out = []
    for i in range(n):
        kind = i % 4
        name = rng.choice(rng.choice([places, actors]))
        if kind == 0:
            f = rng.choice([{"technique": rng.choice(techniques)}, {"event_type": rng.choice(sub_types)},
                            {"place": rng.choice(places)[rng.randint(0, 1)] or places[0][0]},
                            {"actor": rng.choice(actors)[rng.randint(0, 1)] or actors[0][0]},
                            {"side": rng.choice(sides)}])
            out.append(("", f, 0))
        elif kind == 1:
            out.append((" ".join(rng.sample(words, rng.randint(1, 2))), {}, 0))
        elif kind == 2:
            out.append((name[rng.randint(0, 1)] or name[0], {}, 0))
        else:
            out.append((rng.choice(words), {"technique": rng.choice(techniques)} if rng.random() < .5
                        else {"lang": rng.choice(["ar", "en"])}, 40))
    return out


def run(c: Corpus, reqs, slowest: list | None = None) -> dict:
    times, totals = [], []
    for query, filters, offset in reqs:
        t0 = time.perf_counter()
        page = c.search_page(query, limit=20, offset=offset, **filters)
        t1 = time.perf_counter()
        facets(c.conn, query, top=12, **filters)
        times.append((time.perf_counter() - t0) * 1000)
        totals.append(page.total)
        if slowest is not None:
            slowest.append((round(times[-1]), round((t1 - t0) * 1000), query, filters, offset, page.total))
    times.sort()
    return {"requests": len(times), "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1), "max_ms": round(times[-1], 1),
            "mean_total_hits": round(statistics.mean(totals), 1)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=5000)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--seed-db", help="take the seed records from this corpus instead of analysing FA-KES dev")
    ap.add_argument("--json", help="write the figures here too")
    ap.add_argument("--slowest", type=int, default=0, metavar="N", help="list the N slowest requests on stderr")
    args = ap.parse_args()

    seeds = seed_records(args.seed_db)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "explore.db"
        build_s = build(path, seeds, args.docs)
        with Corpus(path) as c:
            stats = c.stats()
            reqs = requests(c, args.requests)
            slow: list = []
            t0 = time.perf_counter()
            for name in values.RESOLVED:  # what the first requests pay once per database state
                values.vocabulary(c.conn, name)
            values.entities_named(c.conn, "warm")  # and once per process: the gazetteer's names
            first = (time.perf_counter() - t0) * 1000
            third = c.search_page("", limit=20, offset=40)
            result = {"documents": stats["documents"], "events": stats["events"], "mentions": stats["mentions"],
                      "techniques": stats["techniques"], "seed_records": len(seeds), "build_s": round(build_s, 1),
                      "vocabularies_ms": round(first, 1), "page_3_hits": len(third.hits)} | run(c, reqs, slow)
    print(json.dumps(result, indent=1))
    if args.slowest:
        for row in sorted(slow, key=lambda r: r[0], reverse=True)[:args.slowest]:
            print("slow: total %d ms (search %d ms)  query=%r filters=%r offset=%d hits=%d" % row, file=sys.stderr)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
