"""Encoder vectors of the technique training documents, for `python -m marsad.train.techniques --encoder`
(marsad/techniques/encoder_features.py): each document's sentences are encoded once, as the detector does at
run time (masked names, one placeholder each), and kept per document id in memory and, when `cache` names a
file, on disk (float16), so a cross-validation re-run skips the encoder.

    python -m marsad.train.technique_vectors --lang en --cache /work/cache-spans/ptc-en.pkl   # fill the cache
    python -m marsad.train.technique_vectors --lang ar --cache /tmp/w17ar/ar.pkl   # ArMPro + the sentence classifier's other texts
"""
from __future__ import annotations

import argparse
import pickle
import sys
import time
from pathlib import Path

import numpy as np

GROUPS = ((6, 7, 8, 9), (10, 11, 12))


class DocumentVectors:
    """doc id -> per sentence {"tokens": {group: [n, H] f16}, "sentence": {group: [H] f16}}."""

    def __init__(self, groups=GROUPS, cache: Path | str | None = None):
        self.groups = tuple(tuple(g) for g in groups)
        self.cache = Path(cache) if cache else None
        self.table: dict[str, list[dict]] = {}
        if self.cache and self.cache.exists():
            stored = pickle.loads(self.cache.read_bytes())
            if tuple(map(tuple, stored["groups"])) == self.groups:
                self.table = stored["table"]

    def ensure(self, pairs, save_every: int = 50) -> None:
        """pairs: (doc id, Doc) to encode where the table lacks them."""
        from marsad.techniques import encoder_features as EF

        todo = [(i, d) for i, d in pairs if i not in self.table]
        t0 = time.time()
        for n, (did, doc) in enumerate(todo, 1):
            enc = EF.encode(doc, self.groups)
            self.table[did] = [{"tokens": {g: v.astype(np.float16) for g, v in s["tokens"].items()},
                                "sentence": {g: v.astype(np.float16) for g, v in s["sentence"].items()}}
                               for s in enc]
            if n % 10 == 0 or n == len(todo):
                print(f"encoder: {n}/{len(todo)} documents ({time.time() - t0:.0f}s)", file=sys.stderr, flush=True)
            if self.cache and (n % save_every == 0 or n == len(todo)):
                self.save()

    def save(self) -> None:
        self.cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.cache.with_suffix(".tmp")
        tmp.write_bytes(pickle.dumps({"groups": self.groups, "table": self.table}, protocol=5))
        tmp.replace(self.cache)

    def __call__(self, did: str) -> list[dict]:
        return self.table[did]


def main(argv=None) -> int:
    from marsad.train import technique_data as TT
    from marsad.techniques import LANGS
    from marsad.train.technique_fit import make_doc, vector_key

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lang", default="en", choices=LANGS)
    ap.add_argument("--data-root", default=str(TT.DATA_ROOT))
    ap.add_argument("--cache", required=True)
    args = ap.parse_args(argv)
    data, extra = TT.load_data(args.lang, Path(args.data_root))  # extra: texts the sentence classifier also reads
    dv = DocumentVectors(GROUPS, args.cache)
    dv.ensure((vector_key(ex), make_doc(ex, args.lang)) for ex in data + extra)
    return 0


if __name__ == "__main__":
    sys.exit(main())
