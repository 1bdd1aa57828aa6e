"""Byte-identical outputs: a refactor must not change a single record.

    python benchmarks/identical_outputs.py record --out benchmarks/data/identical_outputs.sha256
    python benchmarks/identical_outputs.py check          # exit 1 and name the documents that differ
    python benchmarks/identical_outputs.py check --profile accurate --limit 30   # slower, a spot check

A fixed list of documents in both languages goes through `marsad.analyze` (profile "fast" by default, fixed
`published` date, language detected as `marsad analyze` does), and each record is reduced to one sha256 of its
canonical JSON (`sort_keys`, UTF-8, no whitespace). Only ids and digests are stored, never text.

Documents (all read in place, in a deterministic order):
  examples/*.txt                    the bundled examples (always available)
  ../shared/seeds/*.txt             the seed articles (../shared: the folder beside the checkout, or
                                    $MARSAD_SHARED)
  ../shared/data (when present):
    events/fakes/fakes_dev.csv      FA-KES, English: the first 60 rows in file order
    techniques/ptc2020/train-articles   PTC, English: the first 50 articles by file name
    ner/conll2003/dev.txt           CoNLL-2003 dev, English: 20 documents of 10 consecutive sentences
                                    each from the start (tokens joined by spaces)
    techniques/armpro/ArMPro_span_V2_train.jsonl   ArMPro, Arabic: the first 60 pages by page_id, their
                                    paragraphs in paragraph_id order joined by blank lines
    events/arabic_event_gsr/assault_dev.csv   Arabic GSR: the first 60 sentences in file order
  That is 254 documents (132 English, 122 Arabic) when everything is present. Where the shared
  folder is missing (a user's machine) the check says so and compares the bundled examples only.

Fields excluded from the digest: none at present. A marsad/1 record carries no timing or version field; if one
is added, list it in EXCLUDE (it varies between runs without any behaviour change).
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's marsad, not an installed one (a script's path is its folder)

import marsad  # noqa: E402

SHARED = Path(os.environ.get("MARSAD_SHARED", ROOT.parent / "shared"))
DIGESTS = ROOT / "benchmarks" / "data" / "identical_outputs.sha256"
PUBLISHED = "2018-04-21"
EXCLUDE: frozenset[str] = frozenset()  # record fields that legitimately vary between runs (none today)


def _bundled():
    for f in sorted((ROOT / "examples").glob("*.txt")):
        yield f"examples/{f.stem}", f.read_text(encoding="utf-8")


def _shared():
    seeds = SHARED / "seeds"
    for f in sorted(seeds.glob("*.txt")):
        yield f"seeds/{f.stem}", f.read_text(encoding="utf-8")
    data = SHARED / "data"
    csv.field_size_limit(10**8)
    with open(data / "events/fakes/fakes_dev.csv", encoding="utf-8", newline="") as fh:
        for i, row in zip(range(60), csv.DictReader(fh)):
            yield f"fakes/{i:03d}", row["article_content"]
    for f in sorted((data / "techniques/ptc2020/train-articles").glob("*.txt"))[:50]:
        yield f"ptc/{f.stem}", f.read_text(encoding="utf-8")
    sents, words = [], []  # no -DOCSTART- lines in this copy: sentences are blank-line separated
    for line in (data / "ner/conll2003/dev.txt").read_text(encoding="utf-8").splitlines():
        if line.strip():
            words.append(line.split()[0])
        elif words:
            sents.append(" ".join(words))
            words = []
    for i in range(20):  # documents of 10 consecutive sentences
        yield f"conll-dev/{i:03d}", "\n".join(sents[10 * i:10 * i + 10])
    pages: dict[str, list[tuple[str, str]]] = {}
    with open(data / "techniques/armpro/ArMPro_span_V2_train.jsonl", encoding="utf-8") as fh:
        for line in fh:
            p = json.loads(line)
            pages.setdefault(p["page_id"], []).append((p["paragraph_id"], p["paragraph"]))
    for pid in sorted(pages)[:60]:
        yield f"armpro/{pid}", "\n\n".join(t for _, t in sorted(pages[pid]))
    with open(data / "events/arabic_event_gsr/assault_dev.csv", encoding="utf-8", newline="") as fh:
        for i, row in zip(range(60), csv.DictReader(fh)):
            yield f"gsr-assault/{i:03d}-{row['id']}", row["text"]


def documents(shared: bool = True):
    yield from _bundled()
    if shared:
        yield from _shared()


def digest(record: dict) -> str:
    kept = {k: v for k, v in record.items() if k not in EXCLUDE}
    canon = json.dumps(kept, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canon.encode("utf-8")).hexdigest()


def compute(profile: str, limit: int | None, shared: bool) -> dict[str, str]:
    docs = list(documents(shared))
    if limit is not None and limit < len(docs):  # evenly spread, so that every set is represented
        docs = [docs[i * len(docs) // limit] for i in range(limit)]
    return {doc_id: digest(marsad.analyze(text, id=doc_id, published=PUBLISHED, profile=profile))
            for doc_id, text in docs}


def read(path: Path) -> dict[str, dict[str, str]]:
    """{profile: {doc id: sha256}} from lines `profile<TAB>id<TAB>sha256`."""
    got: dict[str, dict[str, str]] = {}
    for ln in path.read_text(encoding="utf-8").splitlines():
        if ln and not ln.startswith("#"):
            prof, doc_id, sha = ln.split("\t")
            got.setdefault(prof, {})[doc_id] = sha
    return got


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("action", choices=["record", "check"])
    ap.add_argument("--out", type=Path, default=DIGESTS, help="digest file (record writes, check reads)")
    ap.add_argument("--profile", choices=["fast", "accurate"], default="fast")
    ap.add_argument("--limit", type=int,
                    help="only N documents spread evenly over the list (e.g. 30 for the accurate profile)")
    args = ap.parse_args()

    shared = (SHARED / "data").exists() and (SHARED / "seeds").exists()
    if not shared:
        print(f"{SHARED} is missing: checking the bundled examples only", file=sys.stderr)
    if Path(marsad.__file__).resolve().parent != ROOT / "marsad":
        print(f"marsad imported from {marsad.__file__}, not from {ROOT}", file=sys.stderr)
        return 2
    got = compute(args.profile, args.limit, shared)

    if args.action == "record":
        stored = read(args.out) if args.out.exists() else {}
        stored[args.profile] = got
        lines = ["# benchmarks/identical_outputs.py: profile, document id, sha256 of the canonical record JSON"]
        for prof in sorted(stored):
            lines += [f"{prof}\t{d}\t{s}" for d, s in stored[prof].items()]
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"recorded {len(got)} documents ({args.profile}) in {args.out}")
        return 0

    want = read(args.out).get(args.profile, {})
    if not want:
        print(f"no digests for profile {args.profile} in {args.out}", file=sys.stderr)
        return 1
    missing = [d for d in got if d not in want]
    differ = [d for d in got if d in want and want[d] != got[d]]
    for d in missing:
        print(f"not recorded: {d}")
    for d in differ:
        print(f"DIFFERS: {d}")
    same = len(got) - len(missing) - len(differ)
    print(f"{same}/{len(got)} documents identical ({args.profile})")
    return 1 if differ or missing else 0


if __name__ == "__main__":
    sys.exit(main())
