# Run: python benchmarks/duplicates.py [N] [--db postgresql://...]   (default 2,000 documents, a fresh SQLite file)
"""The cost of near-duplicate grouping (marsad/corpus/duplicates.py) per document: N generated wire stories of
about 300 words, ten copies each with small edits (tests/wire_copies.py), stored without analysis (grouping reads
the text alone). Prints the store rate with grouping, then the time to regroup the whole corpus (signature,
LSH lookup and the group rows: the whole of what grouping adds to a document's store), and checks the groups."""
import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import wire_copies  # noqa: E402

from marsad.corpus import Corpus, backend, duplicates  # noqa: E402
from marsad.ingest import make_document  # noqa: E402
from marsad.record import new as new_record  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument("n", type=int, nargs="?", default=2000)
p.add_argument("--db", help="an empty corpus to fill (default: a new SQLite file in a temporary folder)")
args = p.parse_args()
docs = wire_copies.corpus_of(args.n)
recs = [new_record(make_document(d["id"], d["text"], title=d["title"], source=d["source"],
                                 published=d["published"], language=d["language"])) for d in docs]
with tempfile.TemporaryDirectory() as tmp, Corpus(args.db or Path(tmp) / "dup.db") as c:
    t0 = time.perf_counter()
    for k in range(0, len(recs), 100):
        c.add_records(recs[k:k + 100])
    store = time.perf_counter() - t0
    t0 = time.perf_counter()
    with backend.write_transaction(c.conn):
        duplicates.group_all(c.conn)
    regroup = time.perf_counter() - t0
    gs = duplicates.groups(c, min_size=1)
    sizes = sorted({g["size"] for g in gs})
    print(f"{backend.dialect(c.conn)}: {len(recs)} documents; stored (with grouping) {1000 * store / len(recs):.2f} "
          f"ms/doc; grouping alone {1000 * regroup / len(recs):.2f} ms/doc; {len(gs)} groups, sizes {sizes}")
