"""The translated PTC span pairs of the persuasion score's cross-language figure (issue 17): every pair of
ptc_arabic_translated_spans Train.tsv (training data for the language-direction projection and the blend's
agreement term) and the pairs of Dev.tsv (held out: never used to choose or fit anything), with their masked
sentence vectors and technique detections.

    python benchmarks/persuasion_pairs.py collect [--dir /tmp/persuasion]   # ~10 min, 1 core -> pairs.jsonl,
                                                                            # pairs_vectors.npz / .json

Train.tsv gives each Arabic span's English offsets; Dev.tsv does not (id, Arabic, label only), and its labels
are PTC-2019's, so its rows are matched to the PTC-2020 gold spans of the same article in order: only articles
whose label sequence equals the gold file's (2019's split classes folded into 2020's merged ones) are kept, so
the k-th Arabic row is the k-th gold span. Each text is split into sentences and masked as the pipeline does;
its vectors (layers 6-9, the shipped encoder model's group) and its technique spans (techniques.detect, as
persuasion_score.py collect) are kept. Folds: each pair takes its article's fold (persuasion_score._items' draw).
"""
from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import persuasion_score as PS  # noqa: E402

SPANS = PS.TECH / "ptc_arabic_translated_spans"
GROUP = (6, 7, 8, 9)
# PTC-2019 classes that PTC-2020 merged, to the merged class's name
MERGED_2020 = {"Whataboutism": "Whataboutism,Straw_Men,Red_Herring", "Straw_Men": "Whataboutism,Straw_Men,Red_Herring",
               "Red_Herring": "Whataboutism,Straw_Men,Red_Herring", "Bandwagon": "Bandwagon,Reductio_ad_hitlerum",
               "Reductio_ad_hitlerum": "Bandwagon,Reductio_ad_hitlerum"}


def ptc_fold_of(arts: dict) -> dict[str, int]:
    """Each PTC train article's fold, as persuasion_score._items draws it (after one draw per 1A text)."""
    rnd = random.Random(17)
    n_ar = sum(1 for split in ("train", "dev") for _ in PS._jsonl(PS.TECH / "araieval2023" / f"task1A_{split}.jsonl"))
    for _ in range(n_ar):
        rnd.randrange(5)
    ids = sorted(arts)
    return {a: k % 5 for k, a in enumerate(rnd.sample(ids, len(ids)))}


def _tsv(name: str) -> list[list[str]]:
    with open(SPANS / name, encoding="utf-8") as f:
        return list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))[1:]


def train_rows(arts: dict) -> list[tuple]:
    """(article, Arabic, English span, PTC label, start) of every Train.tsv row with an English span of 2+ words
    (the filter of persuasion_score._items)."""
    out = []
    for c in _tsv("Train.tsv"):
        if len(c) >= 5 and c[0] in arts and c[3].isdigit() and c[4].isdigit() and c[1].strip():
            en = arts[c[0]][int(c[3]):int(c[4])]
            if len(en.split()) >= 2:
                out.append((c[0], c[1], en, c[2], c[3]))
    return out


def dev_rows(arts: dict) -> tuple[list[tuple], dict]:
    """Dev.tsv rows matched to their English spans (module docstring), and counts of what was kept."""
    by: dict = {}
    for c in _tsv("Dev.tsv"):
        if len(c) >= 3:
            by.setdefault(c[0], []).append(c)
    out, stats = [], {"rows": sum(len(v) for v in by.values()), "articles": len(by), "kept_articles": 0}
    for a, rs in by.items():
        if a not in arts:
            continue
        gold = [ln.split("\t") for ln in (PS.TECH / "ptc2020" / "train-labels-task-flc-tc" /
                                          f"article{a}.task-flc-tc.labels").read_text(encoding="utf-8").splitlines()
                if ln.strip()]
        if [g[1] for g in gold] != [MERGED_2020.get(r[2].strip(), r[2].strip()) for r in rs]:
            continue
        stats["kept_articles"] += 1
        for g, r in zip(gold, rs):
            en = arts[a][int(g[2]):int(g[3])]
            if len(en.split()) >= 2 and r[1].strip():
                out.append((a, r[1], en, g[1], g[2]))
    stats["pairs"] = len(out)
    return out, stats


def pair_items(set_name: str, rows, fold_of) -> list[dict]:
    from marsad.train.techniques import MAP_2020

    items = []
    for a, ar, en, tech, s in rows:
        for lang, text in (("en", en), ("ar", ar)):
            items.append({"set": set_name, "id": f"{a}:{s}", "lang": lang, "text": text, "label": 1,
                          "families": PS._families_of([MAP_2020.get(tech, tech)]), "fold": fold_of[a],
                          "group": tech})
    return items


def load_pairs(d: Path) -> tuple[list[dict], list[dict]]:
    """(train pairs, dev pairs) items of <d>/pairs.jsonl (with their sentences and techniques)."""
    items = PS._jsonl(Path(d) / "pairs.jsonl")
    return [it for it in items if it["set"] == "train_pairs"], [it for it in items if it["set"] == "dev_pairs"]


def pairs_of(items) -> list[tuple[int, int]]:
    """(index of the English side, index of the Arabic side) of each pair in items."""
    at: dict = {}
    for i, it in enumerate(items):
        at.setdefault(it["id"], {})[it["lang"]] = i
    return [(v["en"], v["ar"]) for v in at.values() if len(v) == 2]


def collect(args) -> None:
    from marsad.techniques import persuasion_encoder as PE
    from persuasion_score import key, with_spans

    arts = PS._ptc_articles()
    fold_of = ptc_fold_of(arts)
    dev, stats = dev_rows(arts)
    print(f"Dev.tsv: {json.dumps(stats)}", file=sys.stderr)
    items = pair_items("train_pairs", train_rows(arts), fold_of) + pair_items("dev_pairs", dev, fold_of)
    d = Path(args.dir)
    rows, index, n, t0 = [], {}, 0, time.time()
    with open(d / "pairs.jsonl", "w", encoding="utf-8") as f:
        for j, it in enumerate(items):
            sents = with_spans(it)
            f.write(json.dumps(it, ensure_ascii=False) + "\n")
            k = key(it["lang"], it["text"])
            if k not in index:
                vecs, wds = PE.sentence_vectors(it["text"], sents, it["lang"], (GROUP,))
                rows.append(vecs[GROUP].astype(np.float16))
                index[k] = [n, n + len(wds), wds]
                n += len(wds)
            if j % 1000 == 0:
                print(f"{j}/{len(items)} {time.time() - t0:.0f}s", file=sys.stderr)
    np.savez(d / "pairs_vectors.npz", g6_7_8_9=np.concatenate(rows))
    (d / "pairs_vectors.json").write_text(json.dumps(index), encoding="utf-8")
    print(f"{len(items)} texts, {n} sentences in {time.time() - t0:.0f}s -> {d}", file=sys.stderr)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("step", choices=("collect",))
    ap.add_argument("--dir", default="/tmp/persuasion")
    ap.add_argument("--profile", choices=("accurate", "fast"), default="accurate",
                    help="whose technique models detect the spans (persuasion_score.py collect's --profile)")
    args = ap.parse_args(argv)
    PS.PROFILE = args.profile
    {"collect": collect}[args.step](args)


if __name__ == "__main__":
    main()
