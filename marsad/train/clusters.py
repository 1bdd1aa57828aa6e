"""`marsad train clusters`: Brown word clusters for the Arabic NER features, from unlabelled text.

    marsad train clusters --lang ar --out marsad/models/clusters-ar.tsv \
        ../shared/data/ner/anercorp/train.txt ../shared/data/ner/aqmar \
        ../shared/data/techniques/araieval2023 ../shared/data/techniques/armpro \
        ../shared/data/techniques/ptc_arabic_translated_spans ../shared/data/events/arabic_event_gsr

Arabic has no capitals, so a word never seen in the annotated data gives the tagger little to go on; a
Brown cluster (Brown et al. 1992, as used for NER by Miller et al. 2004 and Turian et al. 2010) groups words
that occur in similar contexts, so an unseen given name shares the cluster (and its bit-string prefixes) of
names that were annotated.  Only the text of the sources is read (never their labels), in place: CoNLL
files (first column), JSON lines (the "text" / "paragraph" field), TSV / CSV (the "Arabic" / "text" column).
Words are counted in the form the NER features use (marsad.entities.ner.cluster_key: normalised, proclitics
and article removed).  The output is a TSV `bits<TAB>word<TAB>count` in the format of Liang's wcluster,
read by marsad.entities.ner; it is a model file (see marsad/models/ner-ar.md).  `--method word2vec` writes
the same format from skip-gram vectors cut by bisecting k-means (a second, complementary clustering).
Needs `brown-clustering`, `gensim` and `scikit-learn` (the build-data extra), none of them at run time.
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

from marsad.entities import ner
from marsad.entities.tokens import tokenize

_TEXT_KEYS = ("text", "paragraph", "Arabic", "arabic", "sentence")
_ARABIC = re.compile(r"[\u0600-\u06ff]")


def _conll_lines(path: Path):
    toks = []
    for ln in path.read_text(encoding="utf-8-sig", errors="replace").splitlines():
        cols = ln.split()
        if not cols or cols[0] == "-DOCSTART-":
            if toks:
                yield " ".join(toks)
            toks = []
        else:
            toks.append(cols[0])
    if toks:
        yield " ".join(toks)


def texts(path: Path):
    """The unlabelled text lines of one file or of every file in a folder (labels are not read)."""
    files = [path] if path.is_file() else sorted(f for f in path.rglob("*") if f.is_file())
    for f in files:
        suf = f.suffix.lower()
        if re.match(r"(readme|license|licence|upstream|original)", f.name, re.I):
            continue
        if suf in (".jsonl", ".json"):
            for ln in f.read_text(encoding="utf-8", errors="replace").splitlines():
                try:
                    obj = json.loads(ln)
                except ValueError:
                    continue
                for k in _TEXT_KEYS:
                    if isinstance(obj.get(k), str):
                        yield obj[k]
                        break
        elif suf in (".tsv", ".csv"):
            with f.open(encoding="utf-8", errors="replace", newline="") as fh:
                for row in csv.DictReader(fh, delimiter="\t" if suf == ".tsv" else ","):
                    for k in _TEXT_KEYS:
                        if row.get(k):
                            yield row[k]
                            break
        elif suf in (".txt", ".conll", ".bio", ".iob"):
            yield from _conll_lines(f)


def sentences(paths: list[Path]):
    """Token keys per Arabic line, deduplicated (ArAIEval 1A and 1B share their texts)."""
    seen = set()
    for p in paths:
        for t in texts(p):
            for line in t.splitlines():
                if not _ARABIC.search(line) or line in seen:
                    continue
                seen.add(line)
                yield [ner.cluster_key(line[a:b]) for a, b in tokenize(line)]


def brown(sents: list[list[str]], clusters: int, min_count: int) -> dict[str, str]:
    """word -> bit string of its leaf cluster (Liang's algorithm: a window of `clusters` clusters, each new
    word joins the window and the best pair merges; then the window is merged down to one tree)."""
    import os

    import brown_clustering.core
    from brown_clustering import BigramCorpus, BrownClustering

    brown_clustering.core.tqdm = lambda it, **_: it  # no progress bar per word

    # Laplace smoothing kept tiny: the package adds alpha to every one of the V^2 bigrams.
    corpus = BigramCorpus(sents, alpha=1e-3, min_count=min_count)
    model = BrownClustering(corpus, clusters)
    leaves = model.train()
    full = model.codes()
    # The package prepends a bit at every merge, also those inside the window, so words of one leaf
    # cluster differ after its tree path; the leaf's path is the common prefix of its words' codes.
    out = {}
    for words in leaves:
        path = os.path.commonprefix([full[w] for w in words]) if len(words) > 1 else full[words[0]]
        out.update((w, path) for w in words)
    return out


def word2vec_tree(sents: list[list[str]], depth: int, min_count: int) -> dict[str, str]:
    """word -> bit string from skip-gram vectors (gensim word2vec, one thread, fixed seed) cut by
    bisecting k-means down to `depth` levels, so that its prefixes are coarser clusters as in Brown's."""
    import numpy as np
    from gensim.models import Word2Vec
    from sklearn.cluster import KMeans

    model = Word2Vec(sents, vector_size=100, window=5, min_count=min_count, sg=1, workers=1, epochs=15, seed=1)
    words = model.wv.index_to_key
    vecs = model.wv.vectors / np.linalg.norm(model.wv.vectors, axis=1, keepdims=True)
    codes: dict[str, str] = {}

    def split(idx, code: str) -> None:
        if len(code) == depth or len(idx) < 4:
            codes.update((words[i], code or "0") for i in idx)
            return
        labels = KMeans(2, n_init=2, random_state=0).fit(vecs[idx]).labels_
        for b in (0, 1):
            split(idx[labels == b], code + str(b))

    split(np.arange(len(words)), "")
    return codes


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="marsad train clusters", description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="+", help="files or folders of unlabelled text (see the module docstring)")
    ap.add_argument("--lang", default="ar", choices=("ar",))
    ap.add_argument("--out", required=True, help="clusters file (e.g. marsad/models/clusters-ar.tsv)")
    ap.add_argument("--method", choices=("brown", "word2vec"), default="brown",
                    help="Brown clustering, or word2vec vectors cut by bisecting k-means")
    ap.add_argument("--clusters", type=int, default=300, help="brown: number of leaf clusters")
    ap.add_argument("--depth", type=int, default=10, help="word2vec: levels of the bisecting tree")
    ap.add_argument("--min-count", type=int, default=2, help="ignore rarer words")
    args = ap.parse_args(argv)
    t0 = time.time()
    sents = list(sentences([Path(p) for p in args.paths]))
    counts = Counter(w for s in sents for w in s)
    print(f"{len(sents)} lines, {sum(counts.values())} tokens, {len(counts)} types", file=sys.stderr)
    if args.method == "brown":
        codes = brown(sents, args.clusters, args.min_count)
    else:
        codes = word2vec_tree(sents, args.depth, args.min_count)
    rows = sorted(((c, w, counts[w]) for w, c in codes.items()), key=lambda r: (r[0], -r[2], r[1]))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(f"{c}\t{w}\t{n}\n" for c, w, n in rows), encoding="utf-8")
    print(f"wrote {out}: {len(rows)} words in {len(set(codes.values()))} clusters ({time.time() - t0:.0f}s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
