"""`marsad train freq`: a word-frequency table for the Arabic NER features, from the `wordfreq` package.

    marsad train freq --lang ar --out marsad/models/freq-ar.tsv

Arabic has no capitals, so "is this a common word of the language" is one of the few signals that a word
may be a name.  A second one: common nouns and adjectives take the article ال often, names rarely ("جورج"
is frequent, "الجورج" is not; "شركة" and "الشركة" both are).  The table gives the Zipf frequency (log10 per
billion words, x10, as an integer) of the `wordfreq` top-N Arabic words, keyed as marsad.entities.ner keys
its lookups (marsad.lang normalisation); spellings that normalise alike are added together.
marsad.entities.ner reads it at run time; `wordfreq` (build-data extra, Apache-2.0 code, word lists under
CC BY-SA 4.0 from its sources) is needed only to rebuild it.
"""
from __future__ import annotations

import argparse
import math
import sys
from collections import Counter
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="marsad train freq", description=__doc__.split("\n\n")[0])
    ap.add_argument("--lang", default="ar", choices=("ar",))
    ap.add_argument("--out", required=True, help="table to write (e.g. marsad/models/freq-ar.tsv)")
    ap.add_argument("--top", type=int, default=150_000, help="words taken from the wordfreq list")
    args = ap.parse_args(argv)
    import wordfreq

    from marsad.entities import ner

    total: Counter = Counter()
    for w in wordfreq.top_n_list(args.lang, args.top):
        total[ner.freq_key(w)] += wordfreq.word_frequency(w, args.lang)
    rows = sorted(((k, round(10 * (math.log10(f) + 9))) for k, f in total.items() if k and f > 0),
                  key=lambda r: (-r[1], r[0]))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(f"{k}\t{z}\n" for k, z in rows), encoding="utf-8")
    print(f"wrote {out}: {len(rows)} words", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
